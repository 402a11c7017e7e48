"""Password rules: a minimum length, not spaces only, not the demo password outside the demo, no common
password, not containing the username, and a zxcvbn strength score of at least MIN_SCORE, estimated with
the user's own words (name, username, unit names, TiepDan) as the first guesses.

Every refusal says why (its own translated sentence, chosen from what zxcvbn found weakest).
"""

import os
import re
import threading
from functools import lru_cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.errors import TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.text import fold

MIN_PASSWORD_LENGTH = 10
#: zxcvbn's score (0-4) a password needs. 3 takes at least 10^8 guesses ("safely unguessable": out of
#: reach online, where logins are throttled, and a modest protection offline with the salted, slow scrypt
#: hash); 4 (10^10) would refuse ten random characters. The user's own words count as the first guesses.
MIN_SCORE = 3
#: The password the demo (`flask seed-demo`, `flask seed-bulk`) gives every user; published in the README,
#: so refused outside the demo (DEPLOYMENT other than "development"). app.demo imports it from here.
DEMO_PASSWORD = "tiepdan-demo-2026"
#: The product's names, the first words anyone guessing a TiepDan password tries.
PRODUCT_NAMES = ("TiepDan", "Tiếp dân", "Tiếp công dân")
VI_LIST = os.path.join(os.path.dirname(__file__), "common_passwords_vi.txt")
#: zxcvbn's bundled lists whose entries are refused as whole passwords (all 30,000 entries of each).
ZXCVBN_LISTS = ("passwords", "english_wikipedia")
#: zxcvbn refuses longer input (and takes long on it); the first 72 characters of a longer password are
#: estimated: if they are strong, so is the whole.
ZXCVBN_MAX_LENGTH = 72
#: zxcvbn 4.5 knows years up to 2019 only ("recent_year"); years of this century are guessed as early.
_YEARS = {"recent_year": re.compile(r"19\d\d|20\d\d")}
#: At most this many consecutive words of a name are joined into one context word ("minhduc").
_MAX_JOINED_WORDS = 5
#: zxcvbn keeps the context words in a module-level dictionary, so estimates take turns.
_zxcvbn_lock = threading.Lock()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Lower-cased passwords refused as too common: zxcvbn's frequency lists and a Vietnamese list."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words: set[str] = set()
    for name in ZXCVBN_LISTS:
        words.update(w.lower() for w in FREQUENCY_LISTS[name])
    with open(VI_LIST, encoding="utf-8") as f:
        words.update(line.strip().lower() for line in f if line.strip() and not line.startswith("#"))
    return frozenset(words)


def is_common_password(password: str) -> bool:
    return (password or "").strip().lower() in common_passwords()


def context_words(values) -> list[str]:
    """The words zxcvbn tries first for ``values`` (names, a username, unit names): folded ("Đồng Nai" ->
    "dong", "nai") and every run of up to five consecutive words joined ("dongnai", "xaminhduc")."""
    words: list[str] = []
    for value in values:
        parts = fold(value).split()
        for i in range(len(parts)):
            for j in range(i + 1, min(len(parts), i + _MAX_JOINED_WORDS) + 1):
                word = "".join(parts[i:j])
                if len(word) >= 2 and word not in words:
                    words.append(word)
    return words


def _estimate(password: str, words: list[str]) -> dict:
    """zxcvbn's estimate of ``password`` with ``words`` as the user's own: its score (0-4) and sequence."""
    from zxcvbn import matching, scoring, time_estimates

    password = password[:ZXCVBN_MAX_LENGTH]
    with _zxcvbn_lock:
        matching.RANKED_DICTIONARIES["user_inputs"] = matching.build_ranked_dict(words)
        try:
            matches = matching.omnimatch(password)
            matches += matching.regex_match(password, _regexen=_YEARS)
            result = scoring.most_guessable_match_sequence(password, matches)
        finally:
            matching.RANKED_DICTIONARIES.pop("user_inputs", None)
    result["score"] = time_estimates.estimate_attack_times(result["guesses"])["score"]
    return result


def _from_own_words(sequence) -> bool:
    return any(
        m["pattern"] == "dictionary" and m["dictionary_name"] == "user_inputs" and len(m["token"]) >= 3
        for m in sequence
    )


def _assess(password: str, words: list[str]) -> dict:
    """The estimate a password is judged by.

    Someone guessing a particular user's password starts from that user's words and dresses them up with
    capitals, diacritics, separators and symbols ("Minh-Đức@2026"), which zxcvbn counts as hard: so when the
    password without them ("minhduc2026") is weak and built on the user's words, that estimate counts.
    """
    result = _estimate(password, words)
    if result["score"] >= MIN_SCORE:
        bare = fold(password).replace(" ", "")
        if bare and bare != password:
            plain = _estimate(bare, words)
            if plain["score"] < MIN_SCORE and _from_own_words(plain["sequence"]):
                return plain
    return result


def password_score(password: str, context=()) -> int:
    """zxcvbn's score (0-4) of ``password`` for a user whose own words are ``context`` (and TiepDan's)."""
    return _assess(password or "", context_words([*context, *PRODUCT_NAMES]))["score"]


def _reason(sequence):
    """Why a weak password is weak: the user's words if it is built on them, else the longest pattern found
    (as zxcvbn's own feedback picks it), each as our own translated sentence."""
    if _from_own_words(sequence):
        return _l(
            "The password is built on the user's name or username, the name of their unit or province, "
            "or the name TiepDan, which are the first guesses of anyone trying to break in. "
            "Choose words that have nothing to do with the user or the unit."
        )
    found = [m for m in sequence if m["pattern"] != "bruteforce"]
    pattern = max(found, key=lambda m: len(m["token"]))["pattern"] if found else None
    if pattern == "repeat":
        return _l(
            "The password is built on repeated characters (like “aaaa” or “abcabc”), which are easy to "
            "guess. Choose a longer password, for example a few unrelated words."
        )
    if pattern == "sequence":
        return _l(
            "The password is built on a run of consecutive letters or digits (like “abcd” or “6543”), "
            "which is easy to guess. Choose a longer password, for example a few unrelated words."
        )
    if pattern == "spatial":
        return _l(
            "The password is built on neighbouring keys of the keyboard (like “qwerty” or “asdfgh”), "
            "which are easy to guess. Choose a longer password, for example a few unrelated words."
        )
    if pattern in ("regex", "date"):
        return _l(
            "The password is built on a year or a date, which is easy to guess. "
            "Choose a longer password, for example a few unrelated words."
        )
    if pattern == "dictionary":
        return _l(
            "The password is built on a common password, word or name, which is easy to guess. "
            "Choose a longer password, for example a few unrelated words."
        )
    return _l("The password is too easy to guess. Choose a longer password, for example a few unrelated words.")


def demo_password_allowed() -> bool:
    """The demo password is for the demo only: a development deployment (`make run`, the tests)."""
    return current_app.config.get("DEPLOYMENT") == "development"


def _contains_demo_password(password: str) -> bool:
    """Whether the password holds the demo password, whatever its capitals, diacritics and separators."""
    return fold(DEMO_PASSWORD).replace(" ", "") in fold(password).replace(" ", "")


def check_password_rules(password: str, *, username: str | None = None, context=()) -> None:
    """Refuse a password that is too short, only spaces, the demo password outside the demo, too common,
    containing the username, or weaker than MIN_SCORE for a user whose own words are ``context`` (their
    full name, their unit's and its parents' names: see users.operations.password_context)."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise TransitionRefused(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if not password.strip():
        raise TransitionRefused(_l("The password must not consist of spaces only."))
    demo_allowed = demo_password_allowed()
    if not demo_allowed and _contains_demo_password(password):
        raise TransitionRefused(
            _l(
                "The password is, or contains, the demo password published with TiepDan, "
                "which may be used only in the demo."
            )
        )
    if is_common_password(password):
        raise TransitionRefused(
            _l("This password is among the most common passwords and easy to guess. Choose another one.")
        )
    if username and username.strip().lower() in password.lower():
        raise TransitionRefused(_l("The password must not contain the username."))
    own = [username or "", *context, *PRODUCT_NAMES, *([] if demo_allowed else [DEMO_PASSWORD])]
    result = _assess(password, context_words(own))
    if result["score"] < MIN_SCORE:
        raise TransitionRefused(_reason(result["sequence"]))


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password-0", method=method)


def dummy_check(password: str) -> None:
    """Spend as long as checking a real password, so an unknown username is not revealed by timing."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
