"""Vietnam's administrative divisions (provinces and communes/wards since 1 July 2025).

Backed by the vietnam-provinces package; nothing here assumes the abolished district level.
"""

import unicodedata
from functools import lru_cache

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode


def vn_sort_key(name: str) -> tuple[str, str]:
    """Sort Vietnamese names alphabetically (Đ with D, accents after the bare letter), not by code point."""
    base = name.removeprefix("Thành phố ")  # "Thành phố Hà Nội" belongs under H
    bare = unicodedata.normalize("NFD", base.replace("Đ", "D").replace("đ", "d"))
    return ("".join(c for c in bare if not unicodedata.combining(c)).casefold(), name)


@lru_cache(maxsize=1)
def provinces() -> list[tuple[int, str]]:
    return sorted(((int(p.code), p.name) for p in Province.iter_all()), key=lambda x: vn_sort_key(x[1]))


@lru_cache(maxsize=64)
def wards_of(province_code: int) -> list[tuple[int, str]]:
    return sorted(
        ((int(w.code), w.name) for w in Ward.iter_all() if int(w.province_code) == int(province_code)),
        key=lambda x: vn_sort_key(x[1]),
    )


def province_name(code: int | None) -> str | None:
    if code is None:
        return None
    try:
        return Province.from_code(ProvinceCode(int(code))).name
    except ValueError:
        return None


def ward_name(code: int | None) -> str | None:
    if code is None:
        return None
    try:
        return Ward.from_code(WardCode(int(code))).name
    except ValueError:
        return None


def ward_in_province(ward_code: int, province_code: int) -> bool:
    try:
        return int(Ward.from_code(WardCode(int(ward_code))).province_code) == int(province_code)
    except ValueError:
        return False
