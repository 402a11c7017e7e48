"""`flask deadlines explain` answers for any date, with the rule and legal basis of each due date."""

import json

import pytest


def run(app, *args):
    return app.test_cli_runner().invoke(args=["deadlines", *args])


def test_explain_as_json_lists_every_due_date_with_its_basis(app):
    result = run(
        app,
        "explain",
        "--kind",
        "complaint",
        "--received",
        "2024-04-25",
        "--accepted",
        "2024-05-08",
        "--decided",
        "2024-06-20",
        "--json",
    )
    assert result.exit_code == 0, result.output
    rows = {r["stage"]: r for r in json.loads(result.output)}
    assert list(rows) == ["first_answer", "classification", "acceptance", "resolution", "appeal", "legal_effect"]
    assert rows["acceptance"]["due"] == "2024-05-13"  # 10 wd from 25/4/2024 across 29/4-1/5 and Saturday 4/5
    assert rows["acceptance"]["legal_basis"] == "Luật Khiếu nại 2011, Điều 27"
    assert rows["resolution"] == {
        **rows["resolution"],
        "start": "2024-05-08",
        "limit": 30,
        "unit": "wd",
        "rule": "complaint.resolution.1",
    }
    assert rows["classification"]["verified"] is False


def test_explain_as_text_shows_dates_rules_and_bases(app):
    result = run(
        app,
        "explain",
        "--kind",
        "denunciation",
        "--received",
        "2026-02-20",
        "--accepted",
        "2026-03-02",
        "--complexity",
        "especially_complex",
        "--extensions",
        "2",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("Resolution"))
    assert "03/06/2026" in line and "Luật Tố cáo 2018, Điều 30" in line
    assert "days from acceptance" in line and "in force from" in line


def test_explain_speaks_one_language(app):
    result = run(app, "explain", "--kind", "complaint", "--received", "2024-04-25")
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if "Điều 27" in ln)
    assert "13/05/2024" in line and "ngày làm việc" in line and "kể từ" in line
    for english in (" wd ", " from ", "in force", "[verify]", "acceptance"):
        assert english not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "complaint", "--received", "25/04/2024"], "%Y-%m-%d"),
        (["--kind", "complaint", "--received", "2024-04-25", "--accepted", "2024-04-01"], "before --received"),
        (["--kind", "denunciation", "--received", "2024-04-25", "--instance", "2"], "only complaints"),
        (["--kind", "petition", "--received", "2024-04-25"], "petition"),
    ],
)
def test_bad_input_is_a_clear_error(app, args, message):
    result = run(app, "explain", *args)
    assert result.exit_code != 0
    assert message in result.output


def test_load_rules_is_idempotent(app):
    assert "up to date" in run(app, "load-rules").output
