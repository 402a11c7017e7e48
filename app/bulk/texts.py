"""Vietnamese petition texts for the bulk data: summaries by topic and kind, detail sentences, decisions.

Placeholders ({project}, {hamlet}, {area} ...) are filled by operations.Slots. Every placeholder stands
between spaces or punctuation, so what a search finds is the words a reader sees.
"""

#: (topic, weight, {kind: [summary templates]}, [detail sentences]).
TOPICS = [
    (
        "land_recovery",
        22,
        {
            "complaint": [
                "Khiếu nại Quyết định số {qd}/QĐ-UBND về việc thu hồi {area} m2 đất tại thửa số {parcel}, tờ bản đồ "
                "số {sheet}, {hamlet}",
                "Khiếu nại phương án bồi thường, hỗ trợ khi thu hồi đất thực hiện {project}",
                "Khiếu nại đơn giá bồi thường cây trồng, vật kiến trúc khi thu hồi đất làm {project}",
                "Khiếu nại việc không bố trí tái định cư khi thu hồi đất ở tại {hamlet}, {ward}",
                "Khiếu nại việc áp giá bồi thường đất nông nghiệp thấp hơn giá thị trường thuộc {project}",
            ],
            "denunciation": [
                "Tố cáo cán bộ {office} lập hồ sơ bồi thường không đúng thực tế cho một số hộ tại {hamlet}",
                "Tố cáo việc kê khống diện tích cây trồng để nhận tiền bồi thường thuộc {project}",
            ],
            "recommendation": [
                "Kiến nghị xem xét lại đơn giá bồi thường đất nông nghiệp thuộc {project}",
                "Kiến nghị sớm chi trả tiền bồi thường, hỗ trợ cho {households} hộ dân bị ảnh hưởng bởi {project}",
                "Kiến nghị bố trí đất tái định cư tại chỗ cho các hộ dân {hamlet} bị thu hồi đất",
            ],
            "feedback": [
                "Phản ánh việc chậm chi trả tiền bồi thường {project} làm ảnh hưởng đời sống {households} hộ dân",
                "Phản ánh việc đo đạc, kiểm đếm tài sản trên đất thu hồi tại {hamlet} không có mặt chủ hộ",
            ],
        },
        [
            "Diện tích đất bị thu hồi là {area} m2, đã được cấp giấy chứng nhận quyền sử dụng đất năm {year_cert}.",
            "Theo người dân, đơn giá bồi thường {price} đồng/m2 thấp hơn giá chuyển nhượng thực tế tại địa phương.",
            "Gia đình đã sử dụng đất ổn định từ năm {year_old} đến nay, không có tranh chấp.",
            "Hội đồng bồi thường chưa tổ chức đối thoại với các hộ dân trước khi ban hành phương án.",
        ],
    ),
    (
        "land_certificate",
        16,
        {
            "complaint": [
                "Khiếu nại việc UBND {ward} từ chối cấp giấy chứng nhận quyền sử dụng đất thửa số {parcel}, tờ bản "
                "đồ số {sheet}",
                "Khiếu nại việc thu hồi giấy chứng nhận quyền sử dụng đất đã cấp cho hộ gia đình tại {hamlet}",
                "Khiếu nại việc không cho chuyển mục đích sử dụng {area} m2 đất trồng cây lâu năm sang đất ở",
            ],
            "denunciation": [
                "Tố cáo cán bộ {office} nhận tiền khi làm hồ sơ tách thửa, chuyển mục đích sử dụng đất",
                "Tố cáo việc cấp giấy chứng nhận quyền sử dụng đất chồng lấn lên đất của hộ dân tại {hamlet}",
            ],
            "recommendation": [
                "Kiến nghị cấp đổi giấy chứng nhận quyền sử dụng đất do sai lệch {area} m2 so với thực tế",
                "Kiến nghị giải quyết hồ sơ tách thửa nộp từ tháng {month}/{year} chưa được trả kết quả",
            ],
            "feedback": [
                "Phản ánh việc hồ sơ cấp giấy chứng nhận quyền sử dụng đất bị trễ hẹn nhiều lần tại {ward}",
                "Phản ánh việc yêu cầu bổ sung giấy tờ không có trong quy định khi đăng ký biến động đất đai",
            ],
        },
        [
            "Hồ sơ được nộp ngày {date}, giấy hẹn trả kết quả sau {days} ngày làm việc nhưng đến nay chưa được giải "
            "quyết.",
            "Thửa đất có diện tích {area} m2, nguồn gốc nhận chuyển nhượng năm {year_old}.",
            "Người dân đã nhiều lần liên hệ bộ phận một cửa nhưng không được hướng dẫn cụ thể.",
        ],
    ),
    (
        "land_dispute",
        9,
        {
            "complaint": [
                "Khiếu nại kết quả hòa giải tranh chấp ranh giới đất với hộ liền kề tại {hamlet}",
                "Khiếu nại quyết định giải quyết tranh chấp đất đai số {qd}/QĐ-UBND đối với thửa số {parcel}",
            ],
            "denunciation": [
                "Tố cáo hành vi lấn chiếm đất công tại {hamlet} nhưng chính quyền không xử lý",
            ],
            "recommendation": [
                "Kiến nghị đo đạc, cắm mốc lại ranh giới thửa đất số {parcel}, tờ bản đồ số {sheet}",
            ],
            "feedback": [
                "Phản ánh việc lấn chiếm {area} m2 đất hành lang {road} đoạn qua {hamlet}",
                "Phản ánh việc rào chắn lối đi chung của {households} hộ dân tại {hamlet}",
            ],
        },
        [
            "Phần diện tích tranh chấp khoảng {area} m2, hai bên đã được hòa giải tại ấp nhưng không thành.",
            "Lối đi đã được các hộ sử dụng ổn định từ năm {year_old}.",
        ],
    ),
    (
        "construction",
        12,
        {
            "complaint": [
                "Khiếu nại Quyết định xử phạt vi phạm hành chính số {qd}/QĐ-XPHC trong lĩnh vực xây dựng",
                "Khiếu nại quyết định cưỡng chế tháo dỡ công trình phụ xây dựng trên đất nông nghiệp tại {hamlet}",
                "Khiếu nại việc không cấp giấy phép xây dựng nhà ở riêng lẻ tại {address}",
            ],
            "denunciation": [
                "Tố cáo cán bộ quản lý trật tự xây dựng làm ngơ cho công trình sai phép tại {hamlet}",
                "Tố cáo việc xây dựng nhà xưởng trái phép trên đất nông nghiệp tại {hamlet}",
            ],
            "recommendation": [
                "Kiến nghị cấp giấy phép xây dựng nhà ở riêng lẻ trên thửa đất số {parcel}, tờ bản đồ số {sheet}",
            ],
            "feedback": [
                "Phản ánh công trình xây dựng nhà ở không phép tại {address}",
                "Phản ánh công trình thi công {project} gây nứt tường nhà dân tại {hamlet}",
            ],
        },
        [
            "Công trình có diện tích xây dựng khoảng {area} m2, khởi công từ tháng {month}/{year}.",
            "Người dân đã phản ánh đến tổ dân phố nhưng công trình vẫn tiếp tục thi công.",
            "Mức phạt {money} đồng là không phù hợp với tính chất, mức độ vi phạm.",
        ],
    ),
    (
        "environment",
        12,
        {
            "complaint": [
                "Khiếu nại Quyết định xử phạt vi phạm hành chính về bảo vệ môi trường số {qd}/QĐ-XPHC",
            ],
            "denunciation": [
                "Tố cáo doanh nghiệp xả nước thải chưa qua xử lý ra {river}",
                "Tố cáo việc khai thác cát trái phép trên {river} kéo dài nhiều tháng",
            ],
            "recommendation": [
                "Kiến nghị di dời bãi tập kết rác tự phát tại {hamlet}, {ward}",
                "Kiến nghị kiểm tra việc xả thải của Khu công nghiệp {park} ra {river}",
            ],
            "feedback": [
                "Phản ánh ô nhiễm môi trường từ trang trại chăn nuôi heo tại {hamlet}",
                "Phản ánh tình trạng khai thác cát trái phép trên {river}",
                "Phản ánh khói bụi, tiếng ồn từ cơ sở sản xuất gỗ tại {address}",
                "Phản ánh tình trạng ngập úng do thi công cống thoát nước tại {hamlet}",
            ],
        },
        [
            "Mùi hôi bốc lên vào ban đêm, ảnh hưởng đến sức khỏe của khoảng {households} hộ dân.",
            "Tình trạng này đã kéo dài từ tháng {month}/{year} nhưng chưa được xử lý dứt điểm.",
            "Nước {river} đoạn qua {hamlet} có màu đen, cá chết hàng loạt.",
        ],
    ),
    (
        "social",
        12,
        {
            "complaint": [
                "Khiếu nại việc không được xét duyệt hộ nghèo, hộ cận nghèo năm {year}",
                "Khiếu nại việc cắt trợ cấp xã hội hằng tháng đối với người cao tuổi tại {hamlet}",
            ],
            "denunciation": [
                "Tố cáo trưởng ấp lập danh sách hộ nghèo không đúng quy định tại {hamlet}",
                "Tố cáo việc chi sai tiền {support} tại {ward}",
            ],
            "recommendation": [
                "Kiến nghị giải quyết chế độ cho người có công với cách mạng",
                "Kiến nghị hỗ trợ sửa chữa nhà ở cho hộ gia đình chính sách tại {hamlet}",
            ],
            "feedback": [
                "Phản ánh việc chậm chi trả tiền {support} cho người dân {hamlet}",
                "Phản ánh việc bình xét hộ nghèo năm {year} tại {hamlet} thiếu công khai",
            ],
        },
        [
            "Gia đình có {people} nhân khẩu, thu nhập bình quân dưới mức chuẩn nghèo của tỉnh.",
            "Danh sách được niêm yết không đầy đủ tại nhà văn hóa ấp.",
        ],
    ),
    (
        "officials",
        7,
        {
            "complaint": [
                "Khiếu nại hành vi của công chức {office} không tiếp nhận hồ sơ đúng quy định",
            ],
            "denunciation": [
                "Tố cáo cán bộ {office} có hành vi nhũng nhiễu, gây khó khăn khi giải quyết thủ tục hành chính",
                "Tố cáo cán bộ {office} nhận tiền của người dân để giải quyết hồ sơ nhanh",
                "Tố cáo Chủ tịch UBND {ward} thiếu trách nhiệm trong quản lý đất đai tại {hamlet}",
            ],
            "recommendation": [
                "Kiến nghị chấn chỉnh thái độ phục vụ của công chức {office}",
            ],
            "feedback": [
                "Phản ánh thái độ thiếu chuẩn mực của công chức {office} khi tiếp công dân",
            ],
        },
        [
            "Sự việc xảy ra vào ngày {date} tại trụ sở UBND {ward}.",
            "Người dân cho biết đã phải chi {money} đồng ngoài lệ phí theo quy định.",
        ],
    ),
    (
        "infrastructure",
        7,
        {
            "complaint": [
                "Khiếu nại việc thu tiền đóng góp làm đường giao thông nông thôn tại {hamlet}",
            ],
            "denunciation": [
                "Tố cáo nhà thầu thi công {road} đoạn qua {hamlet} không đúng thiết kế",
            ],
            "recommendation": [
                "Kiến nghị sửa chữa tuyến đường giao thông nông thôn tại {hamlet} bị hư hỏng nặng",
                "Kiến nghị lắp đặt đèn chiếu sáng công cộng tuyến {road}",
                "Kiến nghị nạo vét kênh mương thoát nước tại {hamlet}",
                "Kiến nghị đầu tư hệ thống nước sạch cho {households} hộ dân {hamlet}",
            ],
            "feedback": [
                "Phản ánh {road} đoạn qua {hamlet} xuống cấp gây mất an toàn giao thông",
                "Phản ánh tình trạng mất điện kéo dài tại {hamlet}",
            ],
        },
        [
            "Tuyến đường dài khoảng {length} m, nhiều ổ gà, mùa mưa ngập sâu.",
            "Các hộ dân đã đóng góp {money} đồng nhưng công trình chưa được triển khai.",
        ],
    ),
    (
        "procedures",
        3,
        {
            "complaint": [
                "Khiếu nại việc từ chối chứng thực hợp đồng chuyển nhượng quyền sử dụng đất",
                "Khiếu nại việc không giải quyết đăng ký khai sinh cho con tại {ward}",
            ],
            "denunciation": [
                "Tố cáo việc thu phí, lệ phí sai quy định tại bộ phận một cửa {ward}",
            ],
            "recommendation": [
                "Kiến nghị rút ngắn thời gian giải quyết hồ sơ đăng ký biến động đất đai",
            ],
            "feedback": [
                "Phản ánh việc trễ hẹn trả kết quả thủ tục hành chính tại {ward}",
                "Phản ánh việc thu phí chợ không niêm yết công khai tại chợ {market}",
            ],
        },
        [
            "Hồ sơ nộp ngày {date} nhưng quá hạn {days} ngày vẫn chưa có kết quả.",
        ],
    ),
]

#: The closing request of a petition, by kind.
REQUESTS = {
    "complaint": [
        "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết.",
        "Đề nghị hủy quyết định nêu trên và bồi thường thiệt hại cho gia đình.",
        "Đề nghị xem xét lại theo đúng quy định của pháp luật.",
    ],
    "denunciation": [
        "Đề nghị kiểm tra, xử lý nghiêm cán bộ vi phạm.",
        "Đề nghị cơ quan có thẩm quyền xác minh, làm rõ và xử lý theo quy định.",
    ],
    "recommendation": [
        "Đề nghị UBND {ward} quan tâm, sớm giải quyết.",
        "Đề nghị cơ quan chức năng xem xét, có phương án xử lý.",
    ],
    "feedback": [
        "Đề nghị UBND {ward} kiểm tra, xử lý dứt điểm.",
        "Đề nghị cơ quan chức năng vào cuộc kiểm tra.",
    ],
}

ENFORCEMENT_REQUIRED = {
    "complaint": [
        "Chi trả bổ sung {money} đồng tiền bồi thường, hỗ trợ cho người khiếu nại",
        "Điều chỉnh Quyết định số {qd}/QĐ-UBND theo kết quả giải quyết khiếu nại",
        "Cấp giấy chứng nhận quyền sử dụng đất cho người khiếu nại theo quy định",
        "Đo đạc lại và điều chỉnh quyết định thu hồi đất",
    ],
    "denunciation": [
        "Kiểm điểm, xử lý trách nhiệm đối với cán bộ vi phạm",
        "Thu hồi {money} đồng chi sai, nộp ngân sách nhà nước",
        "Xử lý vi phạm hành chính và buộc khắc phục hậu quả",
    ],
}

ENFORCEMENT_RESULTS = [
    "Đã tổ chức thực hiện xong; công dân đã nhận và ký biên bản.",
    "Đã chi trả đủ số tiền theo quyết định.",
    "Đã tổ chức kiểm điểm và xử lý kỷ luật khiển trách đối với cán bộ vi phạm.",
    "Đã thực hiện xong các nội dung theo quyết định có hiệu lực pháp luật.",
]

DECISION_SUMMARIES = {
    "upheld": ["Nội dung khiếu nại là đúng; hủy quyết định bị khiếu nại và giải quyết lại theo quy định."],
    "partly_upheld": [
        "Khiếu nại đúng một phần; điều chỉnh một phần quyết định bị khiếu nại.",
        "Công nhận một phần nội dung khiếu nại về đơn giá bồi thường.",
    ],
    "rejected": [
        "Nội dung khiếu nại là sai; giữ nguyên quyết định bị khiếu nại.",
        "Quyết định bị khiếu nại đúng quy định của pháp luật; không công nhận nội dung khiếu nại.",
    ],
    "true": ["Nội dung tố cáo là đúng; kiến nghị xử lý người vi phạm."],
    "partly_true": ["Nội dung tố cáo đúng một phần; chấn chỉnh và rút kinh nghiệm."],
    "untrue": ["Nội dung tố cáo là sai; khôi phục quyền, lợi ích hợp pháp của người bị tố cáo."],
    "answered": [
        "Đã trả lời công dân bằng văn bản về nội dung kiến nghị, phản ánh.",
        "Đã kiểm tra thực tế, chỉ đạo xử lý và thông báo kết quả cho công dân.",
        "Kết quả xác minh và trả lời theo báo cáo của cán bộ xử lý.",
    ],
}

ASSIGN_NOTES = [
    "Giao xác minh, báo cáo kết quả.",
    "Giao xác minh nội dung, đề xuất hướng giải quyết.",
    "Giao kiểm tra thực tế, tham mưu văn bản trả lời.",
]
SUSPEND_NOTES = [
    "Tạm đình chỉ chờ kết quả giám định của cơ quan chuyên môn.",
    "Tạm đình chỉ chờ kết quả giải quyết của Tòa án đối với vụ việc liên quan.",
    "Tạm đình chỉ do người khiếu nại ốm đau, chưa thể tham gia đối thoại.",
]
WITHDRAW_NOTES = [
    "Người khiếu nại có đơn rút toàn bộ nội dung khiếu nại.",
    "Công dân rút đơn do các bên đã tự thỏa thuận được.",
    "Công dân có đơn xin rút đơn sau khi được giải thích.",
]
TERMINATE_NOTES = [
    "Người khiếu nại chết, không có người thừa kế quyền.",
    "Đình chỉ do người khiếu nại đã khởi kiện vụ án hành chính tại Tòa án.",
    "Đình chỉ do nội dung đã được giải quyết bằng bản án có hiệu lực pháp luật.",
]
CLOSE_NOTES = ["Lưu hồ sơ vụ việc.", "Kết thúc giải quyết, lưu hồ sơ."]
GUIDANCE = [
    "Hướng dẫn công dân gửi đơn đến Tòa án nhân dân khu vực có thẩm quyền.",
    "Hướng dẫn nộp hồ sơ tại Trung tâm Phục vụ hành chính công {ward}.",
    "Hướng dẫn công dân liên hệ Chi nhánh Văn phòng Đăng ký đất đai để được giải quyết.",
    "Hướng dẫn công dân gửi đơn đến Ban quản lý chợ.",
    "Hướng dẫn công dân thực hiện thủ tục hòa giải tại ấp trước khi gửi đơn.",
]
PETITION_WITHDRAW_NOTES = [
    "Công dân có đơn xin rút đơn trước khi thụ lý.",
    "Công dân trực tiếp đến rút đơn, có biên bản kèm theo.",
]


#: The subject area (app.subjects) of a demo or bulk petition, by words of its summary: the first match
#: wins, else "admin.other". A shortcut of the generated data only: an officer chooses the area on the form.
SUBJECT_WORDS = (
    (("nhận tiền", "nhũng nhiễu", "kê khống", "chi sai tiền"), "anti_corruption"),
    (("bồi thường", "tái định cư"), "admin.compensation"),
    (("chứng thực", "khai sinh"), "justice"),
    (("xây dựng", "công trình", "nhà xưởng"), "admin.housing"),
    (("hộ nghèo", "trợ cấp", "người có công", "chính sách"), "admin.policy"),
    (("đất",), "admin.land"),
    (("công chức", "cán bộ"), "admin.civil_service"),
)


def subject_code_for(summary: str) -> str:
    """The code of the subject area a generated petition's summary belongs to."""
    words = summary.lower()
    return next((code for keys, code in SUBJECT_WORDS if any(k in words for k in keys)), "admin.other")
