"""Stored text holding control characters (`fazhi audit text`).

Input is checked now (`textinput.control_characters_refuse`), but rows written before that may still hold
U+0000–U+001F other than tab, line feed and carriage return. Rendering strips them; this finds where they
are, so an administrator can correct them through the ordinary pages. It walks every text and JSON column
of fazhi's own models through the app registry (core imports no other app) and reports the row, the field
and the position of the first such character — never the text itself, which may be personal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast

from .textinput import ControlCharacterError, control_characters_refuse

_CONTROL = "[\x01-\x08\x0b\x0c\x0e-\x1f]"  # PostgreSQL text cannot hold U+0000; SQLite can
_CONTROL_WITH_NUL = "[\x00-\x08\x0b\x0c\x0e-\x1f]"
# JSON stores a control character escaped (json.dumps and jsonb both write \u0001).
_JSON_ESCAPED = r"\\u00(0[0-8bBcCeEfF]|1[0-9a-fA-F])"


@dataclass(frozen=True)
class StoredControlCharacter:
    model: str  # app_label.modelname
    pk: Any
    field: str  # the column, or `payload.summary` for a key inside a JSON column
    line: int
    column: int
    codepoint: int

    def __str__(self) -> str:
        return (f"{self.model} #{self.pk} {self.field}：第{self.line}行第{self.column}个字符是"
                f"控制字符 U+{self.codepoint:04X}")


def _first(text: str) -> ControlCharacterError | None:
    try:
        control_characters_refuse(text, label="")
    except ControlCharacterError as exc:
        return exc
    return None


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)]


def stored_control_characters(using: str = "default") -> list[StoredControlCharacter]:
    """Every stored text field of fazhi's models holding a control character, in model and key order."""
    from django.db import connections

    control = _CONTROL if connections[using].vendor == "postgresql" else _CONTROL_WITH_NUL
    found: list[StoredControlCharacter] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("fazhi."):
            continue
        for model in config.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            label = model._meta.label_lower
            for field in _text_fields(model):
                rows = model._default_manager.using(using)
                if isinstance(field, models.JSONField):
                    hits = (rows.annotate(_as_text=Cast(field.name, models.TextField()))
                            .filter(_as_text__regex=_JSON_ESCAPED).order_by("pk").values_list("pk", field.name))
                    for pk, value in hits:
                        if isinstance(value, str):  # some drivers hand back the JSON text
                            value = json.loads(value)
                        for path, text in _json_strings(value, field.name):
                            problem = _first(text)
                            if problem is not None:
                                found.append(StoredControlCharacter(label, pk, path, problem.line, problem.column,
                                                                    problem.codepoint))
                    continue
                for pk, text in (rows.filter(**{f"{field.name}__regex": control}).order_by("pk")
                                 .values_list("pk", field.name)):
                    problem = _first(text or "")
                    if problem is not None:
                        found.append(StoredControlCharacter(label, pk, field.name, problem.line, problem.column,
                                                            problem.codepoint))
    return found

