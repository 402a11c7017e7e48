"""Search ignores diacritics and case, stays in step with the data, and is answered by the full-text index."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.caselist.queries import CaseFilters, search_cases
from app.cases.models import CaseAction
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.extensions import db
from app.persons.operations import PersonData
from app.petitions.models import Petition, PetitionKind
from app.petitions.queries import PetitionFilters, filtered_petitions
from app.search.text import fold, petition_documents, query_terms
from tests.factories import create_case, create_petition, person


@pytest.mark.parametrize(
    "value, folded",
    [
        ("Nguyễn Văn Ân", "nguyen van an"),
        ("ĐƯỜNG Trần Hưng Đạo", "duong tran hung dao"),
        ("Huỳnh Thị Ỷ, ấp Tân Lợi", "huynh thi y ap tan loi"),
        ("TK-2026-000123", "tk 2026 000123"),
        ("Số 215/QĐ-UBND ngày 3.5", "so 215 qd ubnd ngay 3 5"),
        ("100%_\"'*", "100"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(value, folded):
    assert fold(value) == folded


def _reference_fold(value: str) -> str:
    """fold() as a whole-string pipeline: the table-driven fold must give the same words."""
    import re
    import unicodedata

    value = value.translate(
        str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})
    )
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^0-9a-z]+", " ", stripped).strip()


@pytest.mark.parametrize(
    "value",
    [
        "Nguyễn Văn Ân",
        "ĐỖ THỊ ĐÀO",
        "Khiếu nại QĐ số 12/QĐ-UBND (ĐT.741), 1.250 m2!",
        "½ ﬁ ⑴x",
        "e\u0301 combining",
        "  spaces\tand\nlines  ",
        "",
        "ß Ø ł",
        "İstanbul",
    ],
)
def test_fold_character_by_character_equals_folding_the_whole_text(value):
    assert fold(value) == _reference_fold(value)


def test_query_terms_are_distinct_words_and_at_most_eight():
    assert query_terms("An an  AN, Ân") == ["an"]
    assert query_terms("*** ---") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(20)))) == 8


def _petitions(user, q):
    stmt = filtered_petitions(user, PetitionFilters(q=q)).order_by(Petition.id)
    return [p.receipt_no for p in db.session.execute(stmt).scalars()]


def _cases(user, q):
    return [c.number for c in db.session.execute(search_cases(user, CaseFilters(q=q))).unique().scalars()]


def test_a_petition_is_found_by_any_of_its_words_without_diacritics(world, db):
    p = create_petition(
        world,
        summary="Khiếu nại việc bồi thường khi thu hồi đất",
        content="Gia đình ông đề nghị xem xét đơn giá cây trồng.",
        petitioners=[person("Nguyễn Văn Ân", "075085001234")],
        source_agency="Ban Dân nguyện",
    )
    other = create_petition(world, summary="Kiến nghị sửa đường", petitioners=[person("Trần Thị Bé", None)])
    db.session.commit()
    user = world.users["head"]
    for q in (
        "nguyen van an",
        "NGUYỄN VĂN ÂN",
        "an nguyen",
        "075085",
        "075085001234",
        p.receipt_no,
        p.receipt_no.lower().replace("-", " "),
        "boi thuong",
        "don gia cay",
        "dan nguyen",
        "đơn giá",
    ):
        assert _petitions(user, q) == [p.receipt_no], q
    for q in ("nguyen be", "085001234", "huong", "xyz"):
        assert _petitions(user, q) == [], q  # every word must begin a word of the same petition
    assert _petitions(user, "sua duong") == [other.receipt_no]


def test_the_index_follows_changes_to_a_case(world, db):
    case = create_case(world, summary="Tranh chấp ranh giới")
    perform(
        case, CaseAction.ASSIGN, world.users["head"], handler_id=world.users["handler"].id, expected_version=UNCHECKED
    )
    db.session.commit()
    head = world.users["head"]
    assert _cases(head, "ranh gioi") == [case.number]
    assert _cases(head, "215 qd") == []
    perform(
        case,
        CaseAction.RESOLVE,
        world.users["handler"],
        decision_no="215/QĐ-UBND",
        decision_on=local_today(),
        outcome="partly_upheld",
        expected_version=UNCHECKED,
    )
    db.session.commit()
    assert _cases(head, "215 qd") == [case.number]  # the decision number, once recorded
    assert _cases(head, case.number.lower()) == [case.number]


def test_a_case_is_found_by_its_petitions_and_a_later_petition_counts(world, db):

    case = create_case(world, summary="Khiếu nại lần đầu")
    db.session.commit()
    head = world.users["head"]
    assert _cases(head, "ngap ung") == []
    again = create_petition(world, summary="Đơn lặp lại về ngập úng", petitioners=[person("Lý Thị Hoa", None)])
    accept_petition(
        again, world.users["reception"], join_case=case, accepted_on=local_today(), expected_version=UNCHECKED
    )
    db.session.commit()
    assert _cases(head, "ngap ung") == [case.number]
    assert _cases(head, "ly thi hoa") == [case.number]


def test_a_confidential_petitioner_is_kept_out_of_the_public_search_text(world, db):
    den = create_petition(
        world,
        kind=PetitionKind.DENUNCIATION,
        summary="Tố cáo cán bộ",
        petitioners=[person("Đinh Văn Kín", "075000000777")],
    )
    db.session.commit()
    assert "kin" not in den.search_text.split() and "075000000777" not in den.search_text
    assert {"dinh", "van", "kin", "075000000777", "cao"} <= set(den.search_private.split())
    assert (den.search_text, den.search_private) == petition_documents(den)
    assert _petitions(world.users["head"], "dinh van kin") == []  # until revealed: tests/privacy
    assert _petitions(world.users["head"], "to cao can bo") == [den.receipt_no]


def test_the_full_text_index_answers_the_search(world, db):
    """The plan reads the FTS5 table (SQLite) or the GIN index (PostgreSQL), not every row."""
    create_petition(world, petitioners=[PersonData("Nguyễn Văn An", "075000000001")])
    db.session.commit()
    stmt = filtered_petitions(world.users["head"], PetitionFilters(q="nguyen an"))
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        plan = " ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "VIRTUAL TABLE INDEX" in plan and "petitions_fts" in plan, plan
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(r[0] for r in db.session.execute(text(f"EXPLAIN {compiled}")))
        db.session.rollback()
        assert "ix_petitions_search_text_fts" in plan, plan


def test_the_migration_fills_the_search_columns_of_existing_rows(app, world, db):
    p = create_petition(world, summary="Phản ánh ô nhiễm tiếng ồn", petitioners=[person("Võ Thị Thủy", None)])
    case = create_case(world, summary="Khiếu nại cấp giấy chứng nhận")
    db.session.commit()
    expected, head_id = (p.receipt_no, case.number), world.users["head"].id
    db.session.remove()
    downgrade(revision="58ab14cf4097")  # before the search columns existed
    db.session.remove()
    upgrade()
    from app.users.models import User

    head = db.session.get(User, head_id)
    assert _petitions(head, "vo thuy o nhiem") == [expected[0]]
    assert _cases(head, "giay chung nhan") == [expected[1]]
