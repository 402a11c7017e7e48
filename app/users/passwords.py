"""Password rules: a minimum length, no common password, no password containing the username."""
import os
from functools import lru_cache

from flask import current_app
from ..core.i18n import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.errors import TransitionRefused

MIN_PASSWORD_LENGTH = 10
VI_LIST = os.path.join(os.path.dirname(__file__), "common_passwords_vi.txt")
#: zxcvbn's bundled lists whose entries are refused as whole passwords (all 30,000 entries of each).
ZXCVBN_LISTS = ("passwords", "english_wikipedia")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Lower-cased passwords refused as too common: zxcvbn's frequency lists and a Vietnamese list."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = set()
    for name in ZXCVBN_LISTS:
        words.update(w.lower() for w in FREQUENCY_LISTS[name])
    with open(VI_LIST, encoding="utf-8") as f:
        words.update(line.strip().lower() for line in f if line.strip() and not line.startswith("#"))
    return frozenset(words)


def is_common_password(password: str) -> bool:
    return (password or "").strip().lower() in common_passwords()


def check_password_rules(password: str, *, username: str | None = None) -> None:
    """Refuse a password that is too short, too common or contains the username."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise TransitionRefused(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if is_common_password(password):
        raise TransitionRefused(_l("This password is among the most common passwords and easy to guess. "
                                   "Choose another one."))
    if username and username.strip().lower() in password.lower():
        raise TransitionRefused(_l("The password must not contain the username."))


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password-0", method=method)


def dummy_check(password: str) -> None:
    """Spend as long as checking a real password, so an unknown username is not revealed by timing."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
