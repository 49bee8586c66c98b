"""Errors of the demo OData server, shaped as a 1C standard.odata publication returns them.

1C answers `{"odata.error": {"code": "<n>", "message": {"lang": "ru", "value": "..."}}}` in JSON
(or `<m:error>` in XML). The numeric codes below follow what 1C publications are seen to return;
clients should key on the HTTP status and treat the code as informative.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

CODE_UNKNOWN_RESOURCE = "6"  # unknown entity set / URL segment
CODE_NOT_FOUND = "9"  # entity instance with this key does not exist
CODE_BAD_REQUEST = "2"  # malformed query option or URL
CODE_ACCESS_DENIED = "20"
CODE_INTERNAL = "-1"


class ODataError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found_resource(name: str) -> ODataError:
    return ODataError(404, CODE_UNKNOWN_RESOURCE, f"Не найден ресурс: '{name}'")


def not_found_instance(entity: str, key: str) -> ODataError:
    return ODataError(404, CODE_NOT_FOUND, f"Экземпляр сущности не найден: {entity}({key})")


def bad_request(message: str) -> ODataError:
    return ODataError(400, CODE_BAD_REQUEST, message)


def error_json(err: ODataError) -> bytes:
    body = {"odata.error": {"code": err.code, "message": {"lang": "ru", "value": err.message}}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def error_xml(err: ODataError) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<m:error xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">'
        f"<m:code>{escape(err.code)}</m:code>"
        f'<m:message xml:lang="ru">{escape(err.message)}</m:message></m:error>'
    ).encode()
