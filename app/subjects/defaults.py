"""The subject areas shipped with TiepDan (the headings of the inspectorate's statistics forms).

Loaded by `flask deadlines load-rules` together with the rule table (and by `make run` and
`flask seed-demo`): an area is inserted by its code when missing and never overwritten, so an
administrator's corrections stand.
"""

from .models import SubjectGroup

A, J, P, C, OTHER = (
    SubjectGroup.ADMINISTRATIVE,
    SubjectGroup.JUSTICE,
    SubjectGroup.PARTY,
    SubjectGroup.ANTI_CORRUPTION,
    SubjectGroup.OTHER,
)

#: (code, group, Vietnamese name, English name), in the order of the statistics forms.
DEFAULT_SUBJECTS: list[tuple[str, SubjectGroup, str, str]] = [
    ("admin.land", A, "Đất đai", "Land"),
    ("admin.compensation", A, "Bồi thường, hỗ trợ, tái định cư", "Compensation, support and resettlement"),
    ("admin.housing", A, "Nhà ở, tài sản", "Housing and property"),
    ("admin.policy", A, "Chính sách, chế độ", "Policies and benefits"),
    ("admin.civil_service", A, "Công chức, công vụ", "Civil servants and public service"),
    ("admin.finance", A, "Tài chính, ngân sách", "Finance and budget"),
    ("admin.other", A, "Lĩnh vực hành chính khác", "Other administrative matters"),
    ("justice", J, "Tư pháp", "Justice"),
    ("party", P, "Đảng, đoàn thể", "Party and mass organisations"),
    ("anti_corruption", C, "Tham nhũng", "Anti-corruption"),
    ("other", OTHER, "Khác", "Other"),
]
