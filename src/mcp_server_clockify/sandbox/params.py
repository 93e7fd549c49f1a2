"""Reading query parameters and JSON bodies the way Clockify's Spring/Jackson stack does, errors included.

Query values convert like Spring's: integers and booleans (`true/false/1/0/yes/no/on/off`), repeated keys or
comma-separated lists, a missing required parameter answers code 3001, a value that does not convert
answers code 3000 and echoes the value. Bodies read like Jackson: a value of the wrong JSON type is a
"JSON parse error" (3000); a missing required field is "must not be null" (501).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, Literal, overload

from .clock import parse_instant, parse_wall_clock
from .errors import ApiError, bad_value, conversion_error, json_error, missing_parameter, must_not_be_null

__all__ = ["Fields", "Query", "read_body", "wrong_type"]

_TRUE = {"true", "on", "yes", "1"}
_FALSE = {"false", "off", "no", "0"}


class Query:
    """The query string of one request."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._items = list(items)

    def get(self, name: str) -> str | None:
        """The first value of `name`; an empty value counts as absent (as in Spring)."""
        for key, value in self._items:
            if key == name and value != "":
                return value
        return None

    def all(self, name: str) -> list[str]:
        """Every value of `name`, from repeated keys and comma-separated lists."""
        return [part for key, value in self._items if key == name for part in value.split(",") if part]

    def require(self, name: str, java_type: str = "String") -> str:
        value = self.get(name)
        if value is None:
            raise missing_parameter(name, java_type)
        return value

    def integer(self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
        text = self.get(name)
        if text is None:
            return default
        try:
            value = int(text.strip())
        except ValueError:
            raise conversion_error(name, text, "int", f'For input string: "{text}"') from None
        if minimum is not None and value < minimum:
            raise bad_value(f"{name}: must be greater than or equal to {minimum}")
        if maximum is not None and value > maximum:
            raise bad_value(f"{name}: must be less than or equal to {maximum}")
        return value

    def boolean(self, name: str, default: bool | None = False) -> bool | None:
        text = self.get(name)
        if text is None:
            return default
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise conversion_error(name, text, "java.lang.Boolean", f"Invalid boolean value [{text}]")

    def choice(self, name: str, allowed: Collection[str], java_type: str) -> str | None:
        text = self.get(name)
        if text is None or text in allowed:
            return text
        raise conversion_error(name, text, java_type, f"No enum constant {java_type}.{text}")

    def choices(self, name: str, allowed: Collection[str], java_type: str) -> list[str]:
        values = self.all(name)
        for text in values:
            if text not in allowed:
                raise conversion_error(name, text, java_type, f"No enum constant {java_type}.{text}")
        return values

    def wall_clock(self, name: str, *, required: bool = False) -> datetime | None:
        """A date-time read as local wall-clock time: any `Z` or offset is ignored (naive result)."""
        text = self.require(name) if required else self.get(name)
        if text is None:
            return None
        value = parse_wall_clock(text)
        if value is None:
            raise conversion_error(name, text, "java.time.LocalDateTime", f"Text '{text}' could not be parsed")
        return value

    @overload
    def instant(self, name: str, *, required: Literal[True]) -> datetime: ...
    @overload
    def instant(self, name: str, *, required: bool = False) -> datetime | None: ...
    def instant(self, name: str, *, required: bool = False) -> datetime | None:
        """An RFC 3339 date-time (`2026-11-28T00:00:00Z`, fractions allowed); a bare date is rejected."""
        text = self.require(name) if required else self.get(name)
        if text is None:
            return None
        value = parse_instant(text)
        if value is None:
            raise conversion_error(name, text, "java.time.Instant", f"Text '{text}' could not be parsed")
        return value


def read_body(raw: bytes) -> Any:
    """The JSON body, or None when there is none."""
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except UnicodeDecodeError as exc:  # a ValueError too, without a JSONDecodeError's position attributes
        raise json_error(f"Invalid UTF-8 byte 0x{raw[exc.start]:02x} at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise json_error(f"Unexpected character: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "Object value (token `JsonToken.START_OBJECT`)"
    if isinstance(value, list):
        return "Array value (token `JsonToken.START_ARRAY`)"
    if isinstance(value, bool):
        return f"Boolean value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"Number value ({value})"
    return f'String "{value}"'


def wrong_type(java_type: str, value: Any) -> ApiError:
    return json_error(f"Cannot deserialize value of type `{java_type}` from {_describe(value)}")


class Fields:
    """Typed access to one JSON object of a request body."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def of(cls, value: Any, java_type: str = "java.lang.Object") -> Fields:
        """`value` as an object: None (no body) is "must not be null", another JSON type a parse error."""
        if value is None:
            raise must_not_be_null()
        if not isinstance(value, dict):
            raise wrong_type(java_type, value)
        return cls(value)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            raise must_not_be_null()
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None or isinstance(value, str):
            return value
        raise wrong_type("java.lang.String", value)

    def flag(self, key: str, *, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is None or isinstance(value, bool):
            return value
        raise wrong_type("java.lang.Boolean", value)

    def number(self, key: str, *, required: bool = False) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise wrong_type("java.lang.Double", value)

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise wrong_type("java.lang.Integer", value)

    def texts(self, key: str, *, required: bool = False) -> list[str] | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            raise wrong_type("java.util.List<java.lang.String>", value)
        for item in value:
            if not isinstance(item, str):
                raise wrong_type("java.lang.String", item)
        return value

    def objects(self, key: str, java_type: str) -> list[Fields]:
        """A list of objects (absent: empty)."""
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise wrong_type(f"java.util.List<{java_type}>", value)
        return [Fields.of(item, java_type) for item in value]

    def obj(self, key: str, *, required: bool = False, java_type: str = "java.lang.Object") -> Fields | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise wrong_type(java_type, value)
        return Fields(value)

    def choice(self, key: str, allowed: Collection[str], *, java_type: str, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is None or value in allowed:
            return value
        raise json_error(
            f'Cannot deserialize value of type `{java_type}` from String "{value}": not one of the values '
            f"accepted for Enum class: [{', '.join(allowed)}]"
        )

    def instant(self, key: str, *, required: bool = False) -> datetime | None:
        """An RFC 3339 date-time (`Z` or an offset; fractions allowed)."""
        value = self.text(key, required=required)
        if value is None:
            return None
        parsed = parse_instant(value)
        if parsed is None:
            raise wrong_type("java.time.Instant", value)
        return parsed
