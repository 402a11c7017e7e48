"""parse_enum: the one way to read an enum member from request, form or stored input."""

import pytest

from app.cases.models import Complexity
from app.core.enums import parse_enum
from app.flags.models import FlagSubject


@pytest.mark.parametrize(
    "value, expected",
    [
        ("normal", Complexity("normal")),
        (Complexity("normal"), Complexity("normal")),
        ("NORMAL", None),
        ("", None),
        (None, None),
        (["normal"], None),
        (" normal", None),
    ],
)
def test_parse_enum_returns_the_member_or_none(value, expected):
    assert parse_enum(Complexity, value) is expected


def test_flag_subjects_are_the_stored_strings():
    assert [s.value for s in FlagSubject] == ["case", "petition"]
    assert FlagSubject.CASE == "case"


def test_an_enum_column_takes_the_length_it_is_given():
    from sqlalchemy.dialects import postgresql

    from app.core.db import EnumStr
    from app.deadlines.models import DayUnit

    assert EnumStr(DayUnit).impl.compile(dialect=postgresql.dialect()) == "VARCHAR(32)"
    assert EnumStr(DayUnit, 4).impl.compile(dialect=postgresql.dialect()) == "VARCHAR(4)"
