"""Pages of a list that cost the same on page 1 and on page 1,000 (keyset pagination).

A list sorted newest first by (a date, the id) is paged by the position of a row, not by an offset: the
"next" link carries ``after=<date>.<id>`` of the last row shown and the database starts reading there,
through an index on (date, id), instead of reading and skipping every row before it. "Previous" carries
``before=`` of the first row. The total is counted up to a cap (``LIST_COUNT_CAP``): past it the list says
"more than N", so a count never reads a million rows.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.base import ExecutableOption

from ..extensions import db

#: The query arguments of a link to another page (None: leave the argument out).
PageArgs = dict[str, str | int | None]

_CURSOR = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.(\d{1,12})$")


def encode_cursor(day: date, row_id: int) -> str:
    return f"{day.isoformat()}.{row_id}"


def decode_cursor(value: str | None) -> tuple[date, int] | None:
    """The (date, id) of a cursor, or None if ``value`` is not one."""
    m = _CURSOR.match((value or "").strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), int(m.group(4))
    except ValueError:
        return None


@dataclass
class Page:
    """One page of a list and the query arguments of the links around it."""

    items: list[Any]
    #: Matching rows, counted up to the cap; ``total_is_capped`` when there are more.
    total: int
    total_is_capped: bool = False
    next_args: PageArgs | None = None
    prev_args: PageArgs | None = None
    #: For offset-paged lists (short, computed orderings): the page number and the number of pages.
    number: int | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return self.prev_args is None


def capped_count(stmt: Select[Any], id_column: QueryableAttribute[int], cap: int) -> tuple[int, bool]:
    """Count the rows of ``stmt`` up to ``cap``: (count, True if there are more)."""
    limited = stmt.with_only_columns(id_column).order_by(None).limit(cap + 1).subquery()
    n = db.session.execute(select(func.count()).select_from(limited)).scalar_one()
    return min(n, cap), n > cap


def keyset_page(
    stmt: Select[Any],
    date_column: QueryableAttribute[date],
    id_column: QueryableAttribute[int],
    args: Mapping[str, str],
    per_page: int,
    cap: int,
    options: Sequence[ExecutableOption] = (),
) -> Page:
    """The page of ``stmt`` (newest first by date, then id) at the position given by ``args``."""
    warnings: list[str] = []
    after, before = (args.get("after") or "").strip(), (args.get("before") or "").strip()
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    if (after and after_key is None) or (before and before_key is None):
        warnings.append(_("That page link is not valid any more: showing the first page."))
    total, capped = capped_count(stmt, id_column, cap)
    key = tuple_(date_column, id_column)
    stmt = stmt.options(*options)
    if before_key is not None and after_key is None:
        rows = _rows(
            stmt.where(key > tuple_(*before_key)).order_by(date_column.asc(), id_column.asc()).limit(per_page + 1)
        )
        has_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        if rows:
            return _page(rows, date_column.key, total, capped, warnings, has_prev=has_newer, has_next=True)
        after_key = None  # before the first row: show the first page
    elif after_key is not None:
        stmt = stmt.where(key < tuple_(*after_key))
    rows = _rows(stmt.order_by(date_column.desc(), id_column.desc()).limit(per_page + 1))
    has_older = len(rows) > per_page
    return _page(
        rows[:per_page], date_column.key, total, capped, warnings, has_prev=after_key is not None, has_next=has_older
    )


def _rows(stmt: Select[Any]) -> list[Any]:
    return list(db.session.execute(stmt).unique().scalars())


def _page(
    rows: list[Any],
    date_attr: str,
    total: int,
    capped: bool,
    warnings: list[str],
    *,
    has_prev: bool,
    has_next: bool,
) -> Page:
    page = Page(items=rows, total=total, total_is_capped=capped, warnings=warnings)
    if rows and has_next:
        page.next_args = {
            "after": encode_cursor(getattr(rows[-1], date_attr), rows[-1].id),
            "before": None,
            "page": None,
        }
    if rows and has_prev:
        page.prev_args = {"before": encode_cursor(getattr(rows[0], date_attr), rows[0].id), "after": None, "page": None}
    elif has_prev:  # past the end (the rows after this position went away): back to the start
        page.prev_args = {"before": None, "after": None, "page": None}
    return page


def offset_page(
    stmt: Select[Any],
    id_column: QueryableAttribute[int],
    page: int,
    per_page: int,
    cap: int,
    options: Sequence[ExecutableOption] = (),
) -> Page:
    """A page by number, for short lists with a computed order (the last page if ``page`` is past it)."""
    total, capped = capped_count(stmt, id_column, cap)
    pages = max((total + per_page - 1) // per_page, 1)
    number = min(max(page, 1), pages)
    rows = _rows(stmt.options(*options).limit(per_page).offset((number - 1) * per_page))
    result = Page(items=rows, total=total, total_is_capped=capped, number=number, pages=pages)
    if number < pages:
        result.next_args = {"page": number + 1, "after": None, "before": None}
    if number > 1:
        result.prev_args = {"page": number - 1, "after": None, "before": None}
    return result
