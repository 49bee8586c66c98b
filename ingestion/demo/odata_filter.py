"""`$filter` of OData v3 as 1C accepts it: a tokenizer, a recursive-descent parser and a compiler.

Grammar (lowest precedence first):
    expr    := and_expr ('or' and_expr)*
    and_expr:= unary ('and' unary)*
    unary   := 'not' unary | '(' expr ')' | operand [op operand]
    operand := field | literal        field may be a path such as Ref/Date (tabular-section sets)
    op      := eq | ne | gt | ge | lt | le
Literals: datetime'2024-01-01T00:00:00', guid'...', 'string' ('' escapes a quote), true, false,
null, integers and decimals. A bare Boolean field is a predicate (`$filter=Posted`).

The compiled predicate takes a row handle and reads stored values through a resolver, so the same
filter runs over index columns (row = slot number) and over parsed JSON objects (row = dict).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ingestion.demo.odata_errors import bad_request

COMPARISONS = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge, "lt": operator.lt,
               "le": operator.le}
KEYWORDS = {"and", "or", "not", "true", "false", "null", *COMPARISONS}

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<typed>(?:datetime|guid|datetimeoffset|time)'[^']*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[dDfFmMlL]?)
    | (?P<name>[^\W\d]\w*(?:/[^\W\d]\w*)*)
    | (?P<punct>[(),=])
    )""",
    re.VERBOSE,
)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class Literal:
    kind: str  # datetime, guid, string, bool, number, null
    value: Any


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Compare:
    op: str
    field: str
    literal: Literal


@dataclass(frozen=True)
class Logical:
    op: str  # and, or
    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    operand: Any


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise bad_request(f"Ошибка разбора параметра $filter: неожиданный символ в позиции {pos}: "
                              f"{text[pos:pos + 20]!r}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def normalize_datetime(text: str) -> str:
    """1C stores seconds precision without zone; accept shorter literals and pad them."""
    if not _DATETIME.match(text):
        raise bad_request(f"Неверный литерал datetime'{text}'")
    if len(text) == 10:
        return text + "T00:00:00"
    if len(text) == 16:
        return text + ":00"
    return text[:19]


def parse_literal(kind: str, text: str) -> Literal:
    if kind == "typed":
        prefix, _, rest = text.partition("'")
        value = rest[:-1]
        if prefix == "guid":
            if not _GUID.match(value):
                raise bad_request(f"Неверный литерал guid'{value}'")
            return Literal("guid", value.lower())
        if prefix == "datetime":
            return Literal("datetime", normalize_datetime(value))
        raise bad_request(f"Литералы типа {prefix} не поддерживаются")
    if kind == "string":
        return Literal("string", text[1:-1].replace("''", "'"))
    if kind == "number":
        body = text.rstrip("dDfFmMlL")
        return Literal("number", float(body) if any(c in body for c in ".eE") else int(body))
    if text in ("true", "false"):
        return Literal("bool", text == "true")
    if text == "null":
        return Literal("null", None)
    raise bad_request(f"Ожидался литерал, получено {text!r}")


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise bad_request("Ошибка разбора параметра $filter: неожиданный конец выражения")
        self.pos += 1
        return tok

    def at_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "name" and tok[1] == word

    def expr(self) -> Any:
        node = self.and_expr()
        while self.at_word("or"):
            self.take()
            node = Logical("or", node, self.and_expr())
        return node

    def and_expr(self) -> Any:
        node = self.unary()
        while self.at_word("and"):
            self.take()
            node = Logical("and", node, self.unary())
        return node

    def unary(self) -> Any:
        if self.at_word("not"):
            self.take()
            return Not(self.unary())
        tok = self.peek()
        if tok == ("punct", "("):
            self.take()
            node = self.expr()
            if self.take() != ("punct", ")"):
                raise bad_request("Ошибка разбора параметра $filter: ожидалась ')'")
            return node
        left = self.operand()
        nxt = self.peek()
        if nxt is None or nxt[0] != "name" or nxt[1] not in COMPARISONS:
            if isinstance(left, Field):
                return Compare("eq", left.name, Literal("bool", True))  # bare Boolean field
            raise bad_request("Ошибка разбора параметра $filter: ожидался оператор сравнения")
        op = self.take()[1]
        right = self.operand()
        if isinstance(left, Field) and isinstance(right, Literal):
            return Compare(op, left.name, right)
        if isinstance(left, Literal) and isinstance(right, Field):
            flipped = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(op, op)
            return Compare(flipped, right.name, left)
        raise bad_request("Ошибка разбора параметра $filter: сравнивать можно поле с литералом")

    def operand(self) -> Field | Literal:
        kind, text = self.take()
        if kind == "name" and text not in KEYWORDS:
            return Field(text)
        if kind == "punct":
            raise bad_request(f"Ошибка разбора параметра $filter: неожиданный символ {text!r}")
        return parse_literal(kind, text)


def parse_filter(text: str) -> Any:
    parser = _Parser(tokenize(text))
    node = parser.expr()
    if parser.peek() is not None:
        raise bad_request(f"Ошибка разбора параметра $filter: лишний текст {parser.peek()[1]!r}")
    return node


def parse_key(text: str, key: tuple[str, ...]) -> dict[str, Literal]:
    """The key predicate of `Entity(<key>)`: one bare literal, or `Name=literal,Name=literal`."""
    tokens = tokenize(text)
    if len(key) == 1 and len(tokens) == 1:
        return {key[0]: parse_literal(*tokens[0])}
    found: dict[str, Literal] = {}
    i = 0
    while i < len(tokens):
        part = tokens[i:i + 3]
        if len(part) < 3 or part[0][0] != "name" or part[1] != ("punct", "="):
            raise bad_request(f"Неверный формат ключа: '{text}'")
        found[part[0][1]] = parse_literal(*part[2])
        i += 3
        if i < len(tokens):
            if tokens[i] != ("punct", ","):
                raise bad_request(f"Неверный формат ключа: '{text}'")
            i += 1
    if set(found) != set(key):
        raise bad_request(f"Неверный формат ключа: '{text}': ожидались поля {', '.join(key)}")
    return found


def fields_of(node: Any) -> set[str]:
    if isinstance(node, Compare):
        return {node.field}
    if isinstance(node, Logical):
        return fields_of(node.left) | fields_of(node.right)
    if isinstance(node, Not):
        return fields_of(node.operand)
    return set()


# literal kinds each EDM type may be compared with (strict, as 1C is)
_ACCEPTS = {
    "Edm.DateTime": {"datetime"},
    "Edm.Guid": {"guid"},
    "Edm.Boolean": {"bool"},
    "Edm.Double": {"number"},
    "Edm.Int64": {"number"},
    "Edm.String": {"string"},
}


def value_converter(edm: str) -> Callable[[Any], Any]:
    """How a stored JSON value becomes comparable with a literal of its type."""
    if edm in ("Edm.Double", "Edm.Int64"):
        return float  # Int64 may arrive as a JSON string, 1C style
    if edm == "Edm.Guid":
        return str.lower
    return lambda v: v


def compile_filter(node: Any, types: dict[str, str],
                   resolve: Callable[[str], Callable[[Any], Any]]) -> Callable[[Any], bool]:
    """Turn the AST into predicate(row). `types` maps field name -> EDM type, `resolve(field)` gives value_of(row)."""
    if isinstance(node, Logical):
        left = compile_filter(node.left, types, resolve)
        right = compile_filter(node.right, types, resolve)
        if node.op == "and":
            return lambda row: left(row) and right(row)
        return lambda row: left(row) or right(row)
    if isinstance(node, Not):
        inner = compile_filter(node.operand, types, resolve)
        return lambda row: not inner(row)
    edm = types.get(node.field)
    if edm is None:
        raise bad_request(f"Ошибка разбора параметра $filter: неизвестное поле '{node.field}'")
    lit = node.literal
    compare = COMPARISONS[node.op]
    value_of = resolve(node.field)
    if lit.kind == "null":
        if node.op not in ("eq", "ne"):
            raise bad_request("Ошибка разбора параметра $filter: null сравнивается только через eq и ne")
        want_null = node.op == "eq"
        return lambda row: (value_of(row) is None) == want_null
    if lit.kind not in _ACCEPTS.get(edm, set()):
        raise bad_request(f"Ошибка разбора параметра $filter: несовместимые типы: поле '{node.field}' ({edm}) "
                          f"и литерал {lit.kind}")
    convert = value_converter(edm)
    expected = float(lit.value) if edm in ("Edm.Double", "Edm.Int64") else lit.value

    def predicate(row: Any) -> bool:
        value = value_of(row)
        if value is None:
            return node.op == "ne"
        try:
            return compare(convert(value), expected)
        except (TypeError, ValueError):
            return False  # a value of the wrong shape (a broken line) matches nothing

    return predicate
