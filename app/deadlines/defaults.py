"""The time limits of the law, shipped with TiepDan (domain.md, "Time limits").

Loaded into the database by `flask deadlines load-rules` (also run by `make run` and `flask seed-demo`):
rules are inserted by their code when missing and never overwritten, so an administrator's corrections
stand. Items the domain marks "(verify)" come from secondary sources and ship with is_verified=False.
"""
from datetime import date

CHANGE_2026 = date(2026, 7, 1)  # Law 136/2025/QH15 and Decrees 154-156/2026 take effect
LAW_RECEPTION = date(2014, 7, 1)  # Luật Tiếp công dân 2013
LAW_COMPLAINTS = date(2012, 7, 1)  # Luật Khiếu nại 2011
LAW_DENUNCIATIONS = date(2019, 1, 1)  # Luật Tố cáo 2018
CIRCULAR_05_2021 = date(2021, 11, 15)  # Thông tư 05/2021/TT-TTCP

TCD, KN, TC = "Luật Tiếp công dân 2013", "Luật Khiếu nại 2011", "Luật Tố cáo 2018"


def _r(code, kind, stage, limit, unit, basis, since, until=None, **kw):
    return dict(code=code, kind=kind, stage=stage, limit_days=limit, unit=unit, legal_basis=basis,
                effective_from=since, effective_to=until, **kw)


DEFAULT_RULES = [
    # Any petition
    _r("any.first_answer", "any", "first_answer", 10, "wd", f"{TCD}, Điều 28", LAW_RECEPTION,
       note="Thông báo thụ lý, không thụ lý, chuyển đơn hoặc hướng dẫn cho công dân."),
    _r("any.classification", "any", "classification", 10, "d", "Thông tư 05/2021/TT-TTCP", CIRCULAR_05_2021,
       is_verified=False, note="Phân loại, xử lý đơn. Cần đối chiếu điều khoản cụ thể của Thông tư."),
    _r("recommendation.first_answer", "recommendation", "first_answer", 10, "wd", f"{TCD}, Điều 28",
       LAW_RECEPTION),
    _r("feedback.first_answer", "feedback", "first_answer", 10, "wd", f"{TCD}, Điều 28", LAW_RECEPTION),
    _r("reception.schedule_publication", "reception", "schedule_publication", 5, "wd", f"{TCD}, Điều 24",
       LAW_RECEPTION, note="Niêm yết, công khai lịch tiếp công dân ít nhất 5 ngày làm việc trước buổi tiếp."),
    # Complaints
    _r("complaint.lodging", "complaint", "lodging", 90, "d", f"{KN}, Điều 9", LAW_COMPLAINTS,
       note="Thời hiệu khiếu nại, tính từ ngày nhận được hoặc biết được quyết định, hành vi hành chính."),
    _r("complaint.acceptance.1.2012", "complaint", "acceptance", 10, "wd", f"{KN}, Điều 27", LAW_COMPLAINTS,
       CHANGE_2026, instance=1),
    _r("complaint.acceptance.2.2012", "complaint", "acceptance", 10, "wd", f"{KN}, Điều 36", LAW_COMPLAINTS,
       CHANGE_2026, instance=2),
    _r("complaint.acceptance.1.2026", "complaint", "acceptance", 7, "wd",
       f"{KN}, Điều 27 (sửa đổi bởi Luật 136/2025/QH15); Nghị định 155/2026/NĐ-CP", CHANGE_2026, instance=1,
       is_verified=False),
    _r("complaint.acceptance.2.2026", "complaint", "acceptance", 7, "wd",
       f"{KN}, Điều 36 (sửa đổi bởi Luật 136/2025/QH15); Nghị định 155/2026/NĐ-CP", CHANGE_2026, instance=2,
       is_verified=False),
    _r("complaint.resolution.1", "complaint", "resolution", 30, "wd", f"{KN}, Điều 28", LAW_COMPLAINTS,
       instance=1, complexity="normal", is_remote=False),
    _r("complaint.resolution.1.complex", "complaint", "resolution", 45, "wd", f"{KN}, Điều 28", LAW_COMPLAINTS,
       instance=1, complexity="complex", is_remote=False),
    _r("complaint.resolution.1.remote", "complaint", "resolution", 45, "wd", f"{KN}, Điều 28", LAW_COMPLAINTS,
       instance=1, complexity="normal", is_remote=True),
    _r("complaint.resolution.1.remote_complex", "complaint", "resolution", 60, "wd", f"{KN}, Điều 28",
       LAW_COMPLAINTS, instance=1, complexity="complex", is_remote=True),
    _r("complaint.resolution.2", "complaint", "resolution", 45, "wd", f"{KN}, Điều 37", LAW_COMPLAINTS,
       instance=2, complexity="normal", is_remote=False),
    _r("complaint.resolution.2.complex", "complaint", "resolution", 60, "wd", f"{KN}, Điều 37", LAW_COMPLAINTS,
       instance=2, complexity="complex", is_remote=False),
    _r("complaint.resolution.2.remote", "complaint", "resolution", 60, "wd", f"{KN}, Điều 37", LAW_COMPLAINTS,
       instance=2, complexity="normal", is_remote=True),
    _r("complaint.resolution.2.remote_complex", "complaint", "resolution", 70, "wd", f"{KN}, Điều 37",
       LAW_COMPLAINTS, instance=2, complexity="complex", is_remote=True),
    _r("complaint.appeal", "complaint", "appeal", 30, "wd", f"{KN}, Điều 33", LAW_COMPLAINTS, instance=1,
       is_remote=False, note="Khiếu nại lần hai hoặc khởi kiện, kể từ ngày hết thời hạn giải quyết lần đầu "
                             "hoặc ngày nhận quyết định giải quyết lần đầu."),
    _r("complaint.appeal.remote", "complaint", "appeal", 45, "wd", f"{KN}, Điều 33", LAW_COMPLAINTS,
       instance=1, is_remote=True),
    _r("complaint.legal_effect", "complaint", "legal_effect", 30, "wd", f"{KN}, Điều 44", LAW_COMPLAINTS,
       is_remote=False, note="Quyết định có hiệu lực pháp luật nếu không bị khiếu nại tiếp hoặc khởi kiện."),
    _r("complaint.legal_effect.remote", "complaint", "legal_effect", 45, "wd", f"{KN}, Điều 44",
       LAW_COMPLAINTS, is_remote=True),
    # Denunciations
    _r("denunciation.acceptance", "denunciation", "acceptance", 7, "wd", f"{TC}, Điều 24, 29",
       LAW_DENUNCIATIONS, note="Vào sổ, kiểm tra, xác minh thông tin và ra quyết định thụ lý."),
    _r("denunciation.acceptance.sites", "denunciation", "acceptance", 10, "wd", f"{TC}, Điều 24, 29",
       LAW_DENUNCIATIONS, min_sites=2, note="Cần kiểm tra, xác minh tại nhiều địa điểm."),
    _r("denunciation.transfer", "denunciation", "transfer", 5, "wd", f"{TC}, Điều 24", LAW_DENUNCIATIONS,
       note="Chuyển đơn tố cáo không thuộc thẩm quyền (chỉ chuyển một lần)."),
    _r("denunciation.notify_acceptance", "denunciation", "notify_acceptance", 5, "wd", f"{TC}, Điều 29",
       LAW_DENUNCIATIONS),
    _r("denunciation.resolution", "denunciation", "resolution", 30, "d", f"{TC}, Điều 30", LAW_DENUNCIATIONS,
       complexity="normal"),
    _r("denunciation.resolution.complex", "denunciation", "resolution", 30, "d", f"{TC}, Điều 30",
       LAW_DENUNCIATIONS, complexity="complex", max_extensions=1, extension_days=30,
       note="Vụ việc phức tạp: gia hạn một lần, không quá 30 ngày."),
    _r("denunciation.resolution.especially_complex", "denunciation", "resolution", 30, "d", f"{TC}, Điều 30",
       LAW_DENUNCIATIONS, complexity="especially_complex", max_extensions=2, extension_days=30,
       note="Vụ việc đặc biệt phức tạp: gia hạn hai lần, mỗi lần không quá 30 ngày."),
    _r("denunciation.act_on_conclusion", "denunciation", "act_on_conclusion", 7, "wd", f"{TC}, Điều 36",
       LAW_DENUNCIATIONS, note="Xử lý kết luận nội dung tố cáo."),
    # Recommendations and feedback: no general statutory limit
    _r("recommendation.resolution", "recommendation", "resolution", 30, "d",
       "Không có thời hạn luật định chung: mặc định của đơn vị", LAW_RECEPTION,
       note="Đơn vị có thể điều chỉnh thời hạn này."),
    _r("feedback.resolution", "feedback", "resolution", 30, "d",
       "Không có thời hạn luật định chung: mặc định của đơn vị", LAW_RECEPTION,
       note="Đơn vị có thể điều chỉnh thời hạn này."),
    # Enforcement: the decision sets the date; this is the unit's default when it does not
    _r("any.enforcement", "any", "enforcement", 30, "d",
       "Thời hạn do quyết định ấn định; mặc định của đơn vị khi quyết định không ghi", LAW_COMPLAINTS,
       note="Người giải quyết giao và theo dõi việc tổ chức thực hiện quyết định có hiệu lực pháp luật."),
]

#: Days the government moved that the holidays package does not know (the first override shipped).
DEFAULT_OVERRIDES = [
    dict(day=date(2026, 1, 2), is_working_day=False,
         document="Thông báo của Bộ Nội vụ về hoán đổi ngày làm việc dịp Tết Dương lịch 2026 "
                  "(nghỉ thứ Sáu 02/01/2026, làm bù thứ Bảy 10/01/2026)"),
    dict(day=date(2026, 1, 10), is_working_day=True,
         document="Thông báo của Bộ Nội vụ về hoán đổi ngày làm việc dịp Tết Dương lịch 2026 "
                  "(làm bù thứ Bảy 10/01/2026 cho ngày 02/01/2026)"),
]
