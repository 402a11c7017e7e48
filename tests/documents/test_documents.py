"""The documents a unit issues: drafted from the petition or case, edited, numbered in the unit's outgoing
register, on the timeline, the same in print, DOCX and PDF; a copy for someone else never names a
confidential petitioner and is signed off by a second officer; every print and download is audited."""

import io
import json
import mmap
import re
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.cases.models import CaseState
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today
from app.documents.kinds import KINDS
from app.documents.models import DocumentState, IssuedDocument
from app.petitions.models import FiledReason, PetitionEvent, PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from tests.factories import PASSWORD, create_case, create_petition, create_user, person
from tests.petitions.helpers import row_counts, text
from tests.privacy.helpers import reveal

PDFTOTEXT = shutil.which("pdftotext")


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)


def pdf_text(data: bytes, tmp_path) -> str:
    if PDFTOTEXT is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make system-deps)")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True, text=True).stdout
    # Lines joined (a name wrapped at the end of a line is still found), letters composed as typed.
    return unicodedata.normalize("NFC", " ".join(out.split()))


def font_families(data: bytes, tmp_path) -> set[str]:
    """The font families a PDF embeds (pdffonts: "ABCDEF+LiberationSerif-Bold" -> "LiberationSerif")."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    names = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    return {name.split("+")[-1].split("-")[0].split(",")[0] for name in names}


def unhyphen(value: str) -> str:
    return re.sub(r"[-\s]", "", value)


def form_of(page: str) -> dict[str, str]:
    """The issue form's fields as the page fills them in."""
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    fields.update(re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>\n?(.*?)</textarea>', page, re.S))
    fields.pop("csrf_token", None)
    import html

    return {k: html.unescape(v) for k, v in fields.items()}


def issue(client, url: str, **changes):
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    data = {**form_of(page.get_data(as_text=True)), **changes}
    return client.post(url, data, token_from=url)


def documents(db) -> list[IssuedDocument]:
    db.session.rollback()
    return list(db.session.execute(select(IssuedDocument).order_by(IssuedDocument.id)).scalars())


def audit_actions(db) -> list[str]:
    db.session.rollback()
    stmt = select(AuditEvent.action).where(AuditEvent.action.like("document.%")).order_by(AuditEvent.id)
    return list(db.session.execute(stmt).scalars())


def test_the_receipt_is_issued_from_the_petition_page_and_is_the_same_in_print_docx_and_pdf(
    login_en, world, db, tmp_path
):
    petition = create_petition(world, petitioners=[person(address_line="Tổ 3, ấp Tân Hưng", ward_code=25357,
                                                          province_code=75)])  # fmt: skip
    db.session.commit()
    desk = login_en("reception")
    page = text(desk.get(f"/petitions/{petition.id}"))
    assert 'data-document-kind="receipt"' in page
    url = f"/documents/petition/{petition.id}/receipt/new"
    draft = text(desk.get(url))
    assert petition.receipt_no in draft and "Tổ 3, ấp Tân Hưng" in draft  # drafted in Vietnamese
    answer_by = re.search(r"trả lời chậm nhất vào ngày (\d\d/\d\d/\d{4})", draft)
    assert answer_by, "the receipt says by when the citizen is answered"
    resp = issue(desk, url, enclosures="Bản sao quyết định thu hồi đất số 12/QĐ-UBND")
    assert resp.status_code == 302
    (doc,) = documents(db)
    assert doc.state is DocumentState.ISSUED and doc.number == petition.receipt_no
    show = text(desk.get(resp.headers["Location"]))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in show and "Độc lập - Tự do - Hạnh phúc" in show
    today = local_today()
    assert f"Tân Khai, ngày {today.day:02d}" in show if today.day < 10 else f"Tân Khai, ngày {today.day}" in show
    assert "Bản sao quyết định thu hồi đất" in show and 'class="document paper-A5"' in show
    assert "CÁN BỘ TIẾP NHẬN" in show and "TM. ỦY BAN NHÂN DÂN" not in show  # the officer signs a receipt

    word = desk.get(f"/documents/{doc.id}/docx")
    assert word.status_code == 200 and word.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    words = docx_text(word.data)
    assert petition.receipt_no in words and "Nguyễn Văn An" in words and "GIẤY BIÊN NHẬN ĐƠN" in words
    assert "Độc lập - Tự do - Hạnh phúc" in words and answer_by.group(1) in words
    pdf = desk.get(f"/documents/{doc.id}/pdf").data
    printed = pdf_text(pdf, tmp_path)
    assert petition.receipt_no in printed and "Nguyễn Văn An" in printed and "Tân Hưng" in printed
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in printed  # its diacritics kept
    # Every letter from one serif family: a font lacking Vietnamese letters would mix in a fallback font.
    assert len(font_families(pdf, tmp_path)) == 1, font_families(pdf, tmp_path)

    # On the timeline, and every print and download audited.
    db.session.rollback()
    events = db.session.execute(select(PetitionEvent).where(PetitionEvent.action == "document")).scalars().all()
    assert len(events) == 1 and petition.receipt_no in events[0].note
    assert audit_actions(db) == ["document.issue", "document.print", "document.docx", "document.pdf"]


def test_numbers_come_from_the_units_register_per_symbol_and_year(login_en, world, db):
    first, second = (create_petition(world, petitioners=[person(citizen_id=f"07912345670{i}")]) for i in (1, 2))
    for p in (first, second):
        decide_petition(p, world.users["reception"], PetitionState.TRANSFERRED, expected_version=UNCHECKED,
                        transferred_to="Tòa án nhân dân huyện", on=local_today())  # fmt: skip
    filed = create_petition(world, kind=PetitionKind.RECOMMENDATION, petitioners=[person(citizen_id="079123456703")])
    decide_petition(filed, world.users["reception"], PetitionState.FILED, expected_version=UNCHECKED,
                    filed_reason=FiledReason.NOT_ELIGIBLE, on=local_today())  # fmt: skip
    db.session.commit()
    desk = login_en("reception")
    for p in (first, second):
        assert issue(desk, f"/documents/petition/{p.id}/transfer_slip/new").status_code == 302
    assert issue(desk, f"/documents/petition/{filed.id}/refusal_notice/new").status_code == 302
    assert [d.number for d in documents(db)] == ["1/PC-UBND", "2/PC-UBND", "1/TB-UBND"]
    slip = text(desk.get(f"/documents/{documents(db)[0].id}"))
    assert "Tòa án nhân dân huyện" in slip and "PHIẾU CHUYỂN ĐƠN" in slip


def test_a_copy_for_another_body_never_names_a_denunciator_and_is_signed_off_by_a_second_officer(
    login_en, world, db, tmp_path
):
    petition = create_petition(world, kind=PetitionKind.DENUNCIATION, summary="Tố cáo cán bộ địa chính",
                               petitioners=[person("Lê Thị Kín", "079188800001", phone="0912345678",
                                                   address_line="Ấp Bí Mật")])  # fmt: skip
    decide_petition(petition, world.users["reception"], PetitionState.TRANSFERRED, expected_version=UNCHECKED,
                    transferred_to="Công an huyện", on=local_today())  # fmt: skip
    db.session.commit()
    desk = login_en("reception")
    url = f"/documents/petition/{petition.id}/transfer_slip/new"
    page = text(desk.get(url))
    assert 'data-testid="redaction-note"' in page and "Lê Thị Kín" not in page and "Ấp Bí Mật" not in page
    before = row_counts()
    for leak in ("Người tố cáo là lê thị kín", "Liên hệ 0912 345 678", "CCCD 079188800001"):
        refused = text(issue(desk, url, body=f"Nội dung tố cáo. {leak}."))
        assert "must not name the petitioner" in refused, leak
    assert row_counts() == before
    resp = issue(desk, url)
    assert resp.status_code == 302
    (doc,) = documents(db)
    assert doc.state is DocumentState.AWAITING_SIGNOFF and doc.number is None and doc.is_redacted
    waiting = text(desk.get(f"/documents/{doc.id}"))
    assert 'data-testid="awaiting-signoff"' in waiting and 'data-testid="signoff"' not in waiting  # not its author
    assert desk.get(f"/documents/{doc.id}/pdf").status_code == 404  # nothing printed before the sign-off
    head = login_en("head")
    show = head.get(f"/documents/{doc.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', show).group(1)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', show).group(1)
    assert head.post(f"/documents/{doc.id}/signoff", {"csrf_token": token, "version": version}).status_code == 302
    (doc,) = documents(db)
    assert doc.state is DocumentState.ISSUED and doc.number == "1/PC-UBND"
    for data in (docx_text(head.get(f"/documents/{doc.id}/docx").data),
                 pdf_text(head.get(f"/documents/{doc.id}/pdf").data, tmp_path),
                 text(head.get(f"/documents/{doc.id}"))):  # fmt: skip
        assert "Lê Thị Kín" not in data and "079188800001" not in data and "Ấp Bí Mật" not in data
        assert "được giữ bí mật" in data and "Công an huyện" in data
    assert "document.redact" in audit_actions(db) and "document.signoff" in audit_actions(db)


def test_a_document_naming_a_confidential_petitioner_is_only_for_those_it_is_shown_to(login_en, world, db):
    petition = create_petition(world, kind=PetitionKind.DENUNCIATION)
    db.session.commit()
    # The receipt names the denunciator: issued by no one the identity is hidden from.
    assert login_en("head").get(f"/documents/petition/{petition.id}/receipt/new").status_code == 403
    assert 'data-document-kind="receipt"' not in text(login_en("head").get(f"/petitions/{petition.id}"))


def test_who_issues_what(login_en, world, db):
    petition = create_petition(world)
    db.session.commit()
    assert login_en("handler").get(f"/documents/petition/{petition.id}/receipt/new").status_code == 403
    assert login_en("tl_reception").get(f"/documents/petition/{petition.id}/receipt/new").status_code == 404
    # A kind the petition's state does not allow yet (it is not transferred).
    assert login_en("reception").get(f"/documents/petition/{petition.id}/transfer_slip/new").status_code == 403
    assert login_en("reception").get(f"/documents/petition/{petition.id}/nonsense/new").status_code == 404


def test_bad_input_changes_nothing(login_en, world, db):
    petition = create_petition(world)
    db.session.commit()
    desk = login_en("reception")
    url = f"/documents/petition/{petition.id}/receipt/new"
    before = row_counts()
    future = "31/12/2999"
    assert "cannot be dated in the future" in text(issue(desk, url, issued_on=future))
    assert "Write the text of the document" in text(issue(desk, url, body="   "))
    assert "Enter the date as day, month and year" in text(issue(desk, url, issued_on="32/13/2026"))
    assert row_counts() == before


@pytest.mark.parametrize("code", [k for k, kind in KINDS.items() if kind.subject == "case"])
def test_every_case_document_in_docx_and_pdf(login_en, world, db, tmp_path, code):
    kind = KINDS[code]
    case_kind = PetitionKind.DENUNCIATION if "denunciation" in code else PetitionKind.COMPLAINT
    state = CaseState.RESOLVED if code == "denunciation_result_notice" else CaseState.ASSIGNED
    case = create_case(world, state, kind=case_kind, enforcement_required=None)
    db.session.commit()
    user = "handler"
    client = login_en(user)
    if kind.recipient.value == "petitioner" and case_kind is PetitionKind.DENUNCIATION:
        reveal(client, case.petitions[0])  # a document for the denunciator, by someone they are shown to
    resp = issue(client, f"/documents/case/{case.id}/{code}/new")
    assert resp.status_code == 302, (code, user, text(resp)[:500])
    doc = documents(db)[-1]
    if doc.state is DocumentState.AWAITING_SIGNOFF:  # a denunciation's copy for others: the head signs it off
        head = login_en("head")
        show = head.get(f"/documents/{doc.id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', show).group(1)
        head.post(f"/documents/{doc.id}/signoff", {"csrf_token": token, "version": str(doc.version)})
        doc = documents(db)[-1]
        client = head
    assert doc.state is DocumentState.ISSUED and doc.number
    words = docx_text(client.get(f"/documents/{doc.id}/docx").data)
    printed = pdf_text(client.get(f"/documents/{doc.id}/pdf").data, tmp_path)
    with_title = doc.content["title"]
    assert doc.number in words and with_title in words and case.number in words
    # pdftotext joins a word hyphenated at the end of a line: compare without hyphens.
    assert all(unhyphen(v) in unhyphen(printed) for v in (doc.number, with_title, case.number))
    db.session.rollback()
    assert json.dumps(doc.content, ensure_ascii=False).count(case.number) >= 1


PETITION_SETUPS = {
    "receipt": (None, {}),
    "transfer_slip": (PetitionState.TRANSFERRED, {"transferred_to": "Tòa án nhân dân huyện Tân Phú"}),
    "guidance_slip": (PetitionState.GUIDED, {"guidance": "Văn phòng đăng ký đất đai huyện"}),
    "refusal_notice": (PetitionState.FILED, {"filed_reason": FiledReason.ALREADY_RESOLVED}),
    "delegation_reply": (None, {}),
}


def test_every_petition_kind_is_covered():
    assert set(PETITION_SETUPS) == {k for k, kind in KINDS.items() if kind.subject == "petition"}


@pytest.mark.parametrize("code", sorted(PETITION_SETUPS))
def test_every_petition_document_in_docx_and_pdf(login_en, world, db, tmp_path, code):
    state, details = PETITION_SETUPS[code]
    petition = create_petition(world, signatory_count=6, petitioners=[person("Đinh Thị Ngọc", "079123456711")])
    if state is not None:
        decide_petition(petition, world.users["reception"], state, expected_version=UNCHECKED, on=local_today(),
                        **details)  # fmt: skip
    db.session.commit()
    desk = login_en("reception")
    assert issue(desk, f"/documents/petition/{petition.id}/{code}/new").status_code == 302
    doc = documents(db)[-1]
    words = docx_text(desk.get(f"/documents/{doc.id}/docx").data)
    printed = pdf_text(desk.get(f"/documents/{doc.id}/pdf").data, tmp_path)
    expected = [doc.number, doc.content["title"], petition.receipt_no, "Đinh Thị Ngọc"]
    expected += [v for v in details.values() if type(v) is str]
    if code == "refusal_notice":
        expected.append("Luật Khiếu nại năm 2011, Điều 11")  # the reason's article
    for value in expected:
        assert value in words, value
        assert unhyphen(value) in unhyphen(printed), value


def upload(client, world, data: bytes, kind="receipt", filename="mau.docx"):
    url = f"/documents/templates?unit={world.units['TK'].id}"
    return client.post(
        url,
        {"action": "upload", "kind": kind, "upload-file": (io.BytesIO(data), filename)},
        token_from=url,
        content_type="multipart/form-data",
    )


def test_a_unit_uploads_its_own_template_and_a_bad_one_is_refused(login_en, world, db):
    admin = login_en("admin")
    page = text(admin.get(f"/documents/templates?unit={world.units['TK'].id}"))
    assert "{{ number }}" in page and "{{ paragraphs }}" in page  # the placeholders are documented
    default = admin.get("/documents/templates/default.docx").data
    assert "{{ number }}" in docx_text(default)

    def with_text(extra: str) -> bytes:
        doc = Document(io.BytesIO(default))
        doc.add_paragraph(extra)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    before = row_counts()
    assert "not a Word document" in text(upload(admin, world, b"PK not really a docx"))
    assert "does not parse" in text(upload(admin, world, with_text("{{ number ")))
    assert "unknown placeholders: {{ nguoi_ky }}" in text(upload(admin, world, with_text("{{ nguoi_ky }}")))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    assert "not a Word document" in text(upload(admin, world, broken.getvalue()))
    bare = Document()
    bare.add_paragraph("{{ title }}")
    out = io.BytesIO()
    bare.save(out)
    assert "lacks required placeholders: {{ number }}, {{ paragraphs }}" in text(upload(admin, world, out.getvalue()))
    assert row_counts() == before

    assert upload(admin, world, with_text("Mẫu riêng của xã Tân Khai")).status_code == 302
    petition = create_petition(world)
    db.session.commit()
    desk = login_en("reception")
    assert issue(desk, f"/documents/petition/{petition.id}/receipt/new").status_code == 302
    doc = documents(db)[-1]
    assert "Mẫu riêng của xã Tân Khai" in docx_text(desk.get(f"/documents/{doc.id}/docx").data)


def test_the_letterhead_is_the_units(login_en, world, db):
    admin = login_en("admin")
    url = f"/documents/templates?unit={world.units['TK'].id}"
    settings = {
        "action": "settings",
        "settings-body_symbol": "UBND-TK",
        "settings-place_name": "Xã Tân Khai mới",
        "settings-signer_title": "PHÓ CHỦ TỊCH",
        "settings-signer_name": "Ngô Văn Ký",
        "settings-signer_authority": "",
        "settings-settings_version": "",
    }
    resp = admin.post(url, settings, token_from=url)
    assert resp.status_code == 302
    petition = create_petition(world, kind=PetitionKind.RECOMMENDATION)
    decide_petition(petition, world.users["reception"], PetitionState.FILED, expected_version=UNCHECKED,
                    filed_reason=FiledReason.NOT_ELIGIBLE, on=local_today())  # fmt: skip
    db.session.commit()
    desk = login_en("reception")
    assert issue(desk, f"/documents/petition/{petition.id}/refusal_notice/new").status_code == 302
    doc = documents(db)[-1]
    assert doc.number == "1/TB-UBND-TK"
    page = text(desk.get(f"/documents/{doc.id}"))
    assert "Xã Tân Khai mới, ngày" in page and "PHÓ CHỦ TỊCH" in page and "Ngô Văn Ký" in page
    # A second save from the form opened before the first is refused (it carried no version).
    again = admin.post(
        url, {"action": "settings", "settings-body_symbol": "X", "settings-settings_version": ""}, token_from=url
    )
    assert again.status_code == 200 and "UBND-TK" in text(admin.get(url))


# --- What the red team found --------------------------------------------------------------------------------


def sign_off_as(client, doc_id: int):
    show = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', show)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', show)
    if token is None or version is None:
        return None  # no sign-off form for this user
    return client.post(f"/documents/{doc_id}/signoff", {"csrf_token": token.group(1), "version": version.group(1)})


@pytest.fixture
def secret(world, db):
    """A denunciation transferred to the police, its summary naming the denunciator."""
    petition = create_petition(world, kind=PetitionKind.DENUNCIATION, summary="Bà Lê Thị Kín tố cáo cán bộ",
                               petitioners=[person("Lê Thị Kín", "079188800001", phone="0912345678")])  # fmt: skip
    decide_petition(petition, world.users["reception"], PetitionState.TRANSFERRED, expected_version=UNCHECKED,
                    transferred_to="Công an huyện", on=local_today())  # fmt: skip
    db.session.commit()
    return petition


@pytest.mark.parametrize(
    "field, value",
    [
        ("signer_title", "Người tố cáo: Lê Thị Kín"),
        ("signer_name", "le thi kin"),
        ("recipient", "Bà Lê Thị Kín"),
        ("addressee", "Lê Thị Kín"),
        ("recipients", "Như trên;\nBà Lê Thị Kín;"),
        ("body", "Liên hệ +84 912 345 678."),
        ("body", "CCCD 0791 8880 0001."),
    ],
)
def test_no_field_of_a_redacted_copy_may_name_the_denunciator(login_en, world, db, secret, field, value):
    desk = login_en("reception")
    url = f"/documents/petition/{secret.id}/transfer_slip/new"
    before = row_counts()
    changes = {"body": "Nội dung đã che.", field: value}
    assert "must not name the petitioner" in text(issue(desk, url, **changes))
    assert row_counts() == before


def test_a_redacted_copy_drafted_from_a_naming_summary_is_refused_until_edited(login_en, world, db, secret):
    desk = login_en("reception")
    url = f"/documents/petition/{secret.id}/transfer_slip/new"
    assert "must not name the petitioner" in text(issue(desk, url))  # the draft quotes the summary
    assert issue(desk, url, body="Đơn tố cáo cán bộ địa chính, chuyển để giải quyết.").status_code == 302
    (doc,) = documents(db)
    assert "Lê Thị Kín" not in json.dumps(doc.content, ensure_ascii=False)  # the summary placeholder too


def test_the_timeline_never_names_a_confidential_petitioner(login_en, world, db):
    petition = create_petition(
        world, kind=PetitionKind.DENUNCIATION, petitioners=[person("Lê Thị Kín", "079188800001")]
    )
    db.session.commit()
    desk = login_en("reception")  # the officer who registered it hands its receipt over
    resp = issue(desk, f"/documents/petition/{petition.id}/receipt/new")
    assert resp.status_code == 302
    (doc,) = documents(db)
    head = login_en("head")  # the identity is not revealed to the head
    page = text(head.get(f"/petitions/{petition.id}"))
    assert "Lê Thị Kín" not in page and doc.number in page  # on the timeline and the panel, unnamed
    assert head.get(f"/documents/{doc.id}").status_code == 404  # the receipt names her: not for the head
    assert head.get(f"/documents/{doc.id}/pdf").status_code == 404
    assert desk.get(f"/documents/{doc.id}").status_code == 200


def test_the_author_of_a_redacted_copy_does_not_sign_it_off(login_en, world, db, secret):
    desk = login_en("reception")
    url = f"/documents/petition/{secret.id}/transfer_slip/new"
    assert issue(desk, url, body="Đơn tố cáo cán bộ, chuyển để giải quyết.").status_code == 302
    (doc,) = documents(db)
    assert sign_off_as(desk, doc.id) is None  # no form for the author
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', desk.get(f"/petitions/{secret.id}").get_data(as_text=True)
    )
    desk.post(f"/documents/{doc.id}/signoff", {"csrf_token": token.group(1), "version": str(doc.version)})
    assert documents(db)[0].state is DocumentState.AWAITING_SIGNOFF and documents(db)[0].number is None
    assert sign_off_as(login_en("tl_reception"), doc.id) is None  # another commune: not even found
    assert login_en("tl_reception").get(f"/documents/{doc.id}").status_code == 404
    assert sign_off_as(login_en("head"), doc.id).status_code == 302
    assert documents(db)[0].state is DocumentState.ISSUED


def test_the_same_form_posted_twice_issues_one_document(login_en, world, db):
    petition = create_petition(world)
    db.session.commit()
    desk = login_en("reception")
    url = f"/documents/petition/{petition.id}/receipt/new"
    data = form_of(desk.get(url).get_data(as_text=True))
    first = desk.post(url, data, token_from=url)
    second = desk.post(url, data, token_from=url)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(documents(db)) == 1


def test_a_unit_template_failing_on_a_document_falls_back_to_the_default_layout(login_en, world, db):
    admin = login_en("admin")
    default = admin.get("/documents/templates/default.docx").data
    doc = Document(io.BytesIO(default))
    doc.add_paragraph("Mẫu riêng {{ 10 // (paragraphs|length - 5) }}")  # passes the sample shapes, fails on 5
    out = io.BytesIO()
    doc.save(out)
    assert upload(admin, world, out.getvalue()).status_code == 302
    petition = create_petition(world)
    db.session.commit()
    desk = login_en("reception")
    body = "\n\n".join(f"Đoạn {i}." for i in range(5))
    assert issue(desk, f"/documents/petition/{petition.id}/receipt/new", body=body).status_code == 302
    word = desk.get(f"/documents/{documents(db)[-1].id}/docx")
    assert word.status_code == 200 and "Đoạn 4." in docx_text(word.data) and "Mẫu riêng" not in docx_text(word.data)


def test_a_template_that_runs_too_long_or_too_big_is_refused(login_en, world, db, monkeypatch):
    monkeypatch.setattr("app.documents.render.TEMPLATE_SECONDS", 2)
    # A worker that already maps much (a long-running one): the child's limit is on top of what it maps.
    mapped = mmap.mmap(-1, 1 << 30)
    admin = login_en("admin")
    default = admin.get("/documents/templates/default.docx").data
    for heavy, message in (
        ("{% for a in (number * 100000) %}{% for b in (number * 100000) %}{% endfor %}{% endfor %}", "longer than"),
        ("{{ (number * 2000000000)|length }}", "fails on a sample document"),
    ):
        doc = Document(io.BytesIO(default))
        doc.add_paragraph(heavy)
        out = io.BytesIO()
        doc.save(out)
        assert message in text(upload(admin, world, out.getvalue())), heavy
    good = Document(io.BytesIO(default))
    good.add_paragraph("Mẫu của xã")
    out = io.BytesIO()
    good.save(out)
    assert upload(admin, world, out.getvalue()).status_code == 302  # an ordinary template still renders
    mapped.close()


def test_an_administrator_manages_only_the_templates_of_their_units(login_en, world, db):
    create_user(username="tl_admin", full_name="Quản trị xã", unit=world.units["TL"], roles=[Role.ADMIN],
                password=PASSWORD)  # fmt: skip
    db.session.commit()
    admin = login_en("admin")
    assert admin.get(f"/documents/templates?unit={world.units['TK'].id}").status_code == 200
    assert admin.get("/documents/templates?unit=999999").status_code == 404
    outsider = login_en("tl_admin")
    assert outsider.get(f"/documents/templates?unit={world.units['TK'].id}").status_code == 404
    before = row_counts()
    assert upload(outsider, world, b"PK").status_code == 404  # the upload names TK: refused, not saved to TL
    assert row_counts() == before
