"""Deterministic identities: GUIDs, DataVersion stamps and document numbers."""

from __future__ import annotations

import base64
import random
import uuid
from collections import defaultdict


class Ids:
    """Draws GUIDs from its own random stream; counts versions and numbers.

    `run` distinguishes DataVersion stamps written by later `advance` runs from earlier ones.
    """

    def __init__(self, seed: int, run: int = 0):
        self._rng = random.Random(seed * 7919 + 17)
        self._run = run
        self._version = 0
        self._numbers: dict[tuple[str, int], int] = defaultdict(int)

    def guid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def version(self) -> str:
        self._version += 1
        return base64.b64encode(self._run.to_bytes(2, "big") + self._version.to_bytes(6, "big")).decode()

    def code(self, catalog: str) -> str:
        """A catalog code: 9 digits counting up per catalog, as 1C numbers them."""
        self._numbers[(catalog, 0)] += 1
        return f"{self._numbers[(catalog, 0)]:09d}"

    def number(self, counter: str, prefix: str, year: int) -> str:
        """1C-style number, e.g. ТИ00-000042: a prefix and a counter per document kind restarting every year."""
        self._numbers[(counter, year)] += 1
        return f"{prefix}-{self._numbers[(counter, year)]:06d}"
