"""Reading the administration pages as a user would: which message sits next to which field."""

import html as htmllib
import re


def field_errors(page: str, field_id: str) -> list[str]:
    """The error messages shown under the form field with this id (up to the next field)."""
    start = page.find(f'id="{field_id}"')
    assert start >= 0, f"no field {field_id} on the page"
    end = min(
        i
        for i in (page.find('<div class="mb-2', start), page.find("</fieldset>", start), page.find("</form>", start))
        if i >= 0
    )
    block = page[start:end]
    return [htmllib.unescape(m).strip() for m in re.findall(r'invalid-feedback d-block">([^<]*)<', block)]


def has_error(page: str, field_id: str, message: str) -> bool:
    return any(message in e for e in field_errors(page, field_id))
