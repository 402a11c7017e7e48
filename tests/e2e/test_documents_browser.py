"""Documents in a real browser: issued from the petition's page in three clicks, printed on A5 (the receipt)
and A4 (a transfer slip) with the national motto on one line; the PDF of each is the same document."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.extensions import db
from app.petitions.models import PetitionState
from app.petitions.operations import decide_petition
from tests.factories import PASSWORD, create_petition, person

pytestmark = pytest.mark.e2e


@pytest.fixture
def petitions(world, db):
    receipt = create_petition(world, petitioners=[person("Trương Thị Ánh", "079111222333", address_line="Ấp 4")])
    moved = create_petition(world, petitioners=[person("Lý Văn Chuyển", "079111222444")])
    decide_petition(moved, world.users["reception"], PetitionState.TRANSFERRED, expected_version=UNCHECKED,
                    transferred_to="Thanh tra huyện", on=local_today())  # fmt: skip
    db.session.commit()
    return receipt.id, moved.id


def _motto_lines(page) -> list[int]:
    """How many lines each line of the motto takes (1: it does not wrap)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.motto .nowrap')).map(el => {
             const style = getComputedStyle(el);
             return Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight || style.fontSize));
           })"""
    )


@pytest.mark.parametrize("code, paper", [("receipt", "A5"), ("transfer_slip", "A4")])
def test_a_document_is_issued_in_three_clicks_and_prints_with_the_motto_on_one_line(
    petitions, live_server, browser, code, paper, tmp_path
):
    receipt_id, moved_id = petitions
    petition_id = receipt_id if code == "receipt" else moved_id
    page = browser.new_context(locale="vi-VN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page.goto(f"{live_server}/login")
    page.fill("#username", "reception")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server}/petitions/{petition_id}")
    page.click(f"[data-document-kind={code}]")  # 1
    page.wait_for_url(re.compile(r".*/documents/petition/\d+/\w+/new$"))
    page.click("[data-testid=issue]")  # 2
    page.wait_for_url(re.compile(r".*/documents/\d+$"))
    article = page.locator("[data-testid=document]")
    expect(article).to_have_class(re.compile(f"paper-{paper}"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in article.inner_text()
    page.emulate_media(media="print")
    assert _motto_lines(page) == [1, 1]
    assert page.locator("[data-testid=document-toolbar]").is_hidden()
    page.emulate_media(media="screen")
    page.click("[data-action=print]")  # 3
    assert page.evaluate("window.__printed") == 1
    # The PDF: paper size as printed.
    pdf = page.request.get(live_server + page.locator("[data-testid=pdf-link]").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf.body())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == {"A5": (420, 595), "A4": (595, 842)}[paper]  # in points
    # The page back: the document is in the petition's documents panel and on its timeline.
    page.goto(f"{live_server}/petitions/{petition_id}")
    assert page.locator("[data-testid=documents] [data-document-id]").count() == 1
    number = page.locator("[data-testid=documents] [data-document-id] strong").inner_text()
    assert "Văn bản đã ban hành" in page.inner_text("[data-testid=history]") and number in page.inner_text(
        "[data-testid=history]"
    )
    assert not errors, errors
    db.session.remove()


def test_the_desk_receipt_slip_keeps_the_motto_on_one_line_on_a5(petitions, live_server, browser):
    receipt_id, _moved = petitions
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(f"{live_server}/login")
    page.fill("#username", "reception")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server}/petitions/{receipt_id}/receipt")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 470, "height": 800})  # A5 less its 12 mm margins, at 96 dpi
    assert (
        page.evaluate(
            """() => { const el = document.querySelector('[data-testid=motto]');
                   const line = parseFloat(getComputedStyle(el).lineHeight);
                   return Math.round(el.getBoundingClientRect().height / line); }"""
        )
        == 1
    )
    text = page.inner_text("[data-testid=receipt]")
    assert "Tân Khai, ngày" in text and "Ấp 4" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert page.locator("[data-testid=receipt-answer-by]").is_visible()
    db.session.remove()
