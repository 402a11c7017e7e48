"""Vietnamese names and places of Đồng Nai (province 75) for the bulk data: people, hamlets, roads, projects.

Weights are rough shares, enough for the data to look like a real register (Nguyễn on about a third of
the people, Thị on most women, busy wards around the new airport and Biên Hòa).
"""

#: (surname, weight): the common family names, with southern spellings (Huỳnh, Võ) weighted as in the South.
SURNAMES = [
    ("Nguyễn", 340), ("Trần", 110), ("Lê", 95), ("Phạm", 65), ("Huỳnh", 35), ("Hoàng", 20), ("Phan", 45),
    ("Võ", 35), ("Vũ", 10), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
    ("Lý", 6), ("Đinh", 7), ("Trương", 9), ("Lâm", 6), ("Mai", 5), ("Trịnh", 4), ("Đoàn", 5), ("Lưu", 4),
    ("Cao", 4), ("Châu", 3), ("Thái", 3), ("Tạ", 2), ("Quách", 2), ("La", 2), ("Điểu", 3), ("Thạch", 2),
    ("Hà", 3), ("Lương", 3), ("Tô", 2), ("Kiều", 1),
]

#: Middle names (tên đệm) by sex; the first one of each list is the most common.
MIDDLE_MALE = [("Văn", 40), ("Hữu", 8), ("Minh", 10), ("Đức", 6), ("Quốc", 6), ("Thanh", 6), ("Công", 5),
               ("Ngọc", 3), ("Tấn", 5), ("Trọng", 3), ("Xuân", 3), ("Quang", 4), ("Thành", 3), ("Hoàng", 3),
               ("Anh", 2), ("Bá", 2), ("Duy", 2), ("Phước", 2)]
MIDDLE_FEMALE = [("Thị", 55), ("Ngọc", 8), ("Thu", 5), ("Thanh", 5), ("Kim", 5), ("Mỹ", 3), ("Bích", 3),
                 ("Hồng", 3), ("Thùy", 3), ("Phương", 2), ("Minh", 2), ("Ánh", 2), ("Diệu", 1), ("Hoài", 2)]
#: A second middle name, as in "Nguyễn Thị Bích Ngọc" (for about one person in six).
SECOND_MIDDLE_MALE = ["Minh", "Quốc", "Thanh", "Hoàng", "Tuấn", "Anh", "Gia", "Trung"]
SECOND_MIDDLE_FEMALE = ["Bích", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Mỹ", "Thúy", "Phương"]

GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Trung", "Tuấn",
    "Hiếu", "Hoàng", "Huy", "Khoa", "Khánh", "Long", "Lộc", "Minh", "Nghĩa", "Phong", "Tài", "Thắng", "Thành",
    "Thịnh", "Tiến", "Toàn", "Trí", "Vinh", "Việt", "Bảo", "Đạt", "Hưng", "Kiên", "Lâm", "Lực", "Nhân",
    "Phát", "Sang", "Tùng", "Giàu", "Mười", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Hậu", "Danh", "Thuận", "Lợi",
]
GIVEN_FEMALE = [
    "Hà", "Lan", "Linh", "Mai", "Ngọc", "Thảo", "Yến", "Anh", "Chi", "Dung", "Giang", "Hằng", "Hạnh", "Hoa",
    "Hồng", "Hương", "Huyền", "Lệ", "Liên", "Loan", "Ly", "Nga", "Nhung", "Oanh", "Phượng", "Quyên", "Tâm",
    "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Xuân", "Nhi", "Thư", "Diễm", "Hiền", "Kiều", "My",
    "Em", "Lài", "Cúc", "Đào",
]

#: Phone prefixes of the Vietnamese mobile networks (10-digit numbers).
PHONE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032", "033", "034",
                  "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083",
                  "084", "085"]

#: Hamlet (ấp) and quarter (khu phố) names, used with "ấp"/"khu phố" and for markets.
HAMLETS = [
    "Tân Lợi", "Bàu Lòn", "Sóc Trào", "Cây Da", "Phú Lộc", "Ninh Thịnh", "Sóc Bưng", "Bàu Sen", "Suối Cát",
    "Tân Phong", "Hòa Bình", "Thuận Hòa", "Bình Lợi", "Phước Hòa", "Tân Bình", "Đồng Tâm", "Xuân Thạnh",
    "Bến Cam", "Ông Hường", "Tân Hiệp", "Quảng Phát", "An Lợi", "Sở Quýt", "Bàu Cạn", "Cẩm Đường", "Suối Trầu",
    "Bến Sắn", "Trà Cổ", "Tân Mai", "Phú Sơn", "Long Đức", "Bình Sơn", "Hưng Long", "Tân Cang", "Sông Mây",
    "Lợi Hà", "Bàu Tre", "Xuân Hiệp", "Đồi Rìu", "Gia Yên", "Ngọc Lâm", "Tà Lọt", "Bù Tam", "Sóc Lớn",
    "Thác Mơ", "Đồng Búa", "Suối Ngang", "Chợ Mới", "Thanh Bình", "Phước Lý",
]

STREETS = [
    "Võ Thị Sáu", "Phạm Văn Thuận", "Đồng Khởi", "Nguyễn Ái Quốc", "Hà Huy Giáp", "Bùi Văn Hòa",
    "Nguyễn Văn Trỗi", "Cách Mạng Tháng Tám", "Trần Hưng Đạo", "Lê Duẩn", "Hùng Vương", "Phú Riềng Đỏ",
    "Nguyễn Huệ", "Trần Phú", "Lê Lợi", "Hoàng Văn Bổn", "Khổng Tử", "Nguyễn Tri Phương", "Huỳnh Văn Nghệ",
    "Bùi Hữu Nghĩa", "Tôn Đức Thắng", "Nguyễn Văn Linh", "Lý Thường Kiệt", "Đinh Quang Ân",
]

ROADS = [
    "Quốc lộ 1A", "Quốc lộ 20", "Quốc lộ 51", "Quốc lộ 13", "Quốc lộ 14", "Quốc lộ 56", "đường ĐT.741",
    "đường ĐT.753", "đường ĐT.768", "đường ĐT.769", "đường ĐT.762", "đường ĐT.763", "đường ĐT.759",
    "đường Võ Nguyên Giáp", "đường Hương lộ 10", "đường 25B", "đường liên ấp 2-3", "đường liên xã Sông Ray",
]

RIVERS = ["sông Đồng Nai", "sông Bé", "sông La Ngà", "suối Cái", "suối Săn Máu", "hồ Trị An", "sông Buông",
          "rạch Lò Gốm", "hồ Suối Giai", "sông Thị Vải", "suối Rết", "sông Sài Gòn"]

PROJECTS = [
    "dự án Cảng hàng không quốc tế Long Thành", "dự án đường cao tốc Biên Hòa - Vũng Tàu",
    "dự án đường Vành đai 3 Thành phố Hồ Chí Minh", "dự án đường Vành đai 4", "dự án mở rộng Quốc lộ 51",
    "dự án Khu công nghiệp Long Đức 3", "dự án nâng cấp đường ĐT.741", "dự án đường ĐT.753",
    "dự án hồ chứa nước Sông Ray", "dự án Khu tái định cư Lộc An - Bình Sơn", "dự án cao tốc Dầu Giây - Tân Phú",
    "dự án cao tốc Chơn Thành - Gia Nghĩa", "dự án đường Đồng Phú - Bình Dương", "dự án Khu dân cư Phước Tân",
    "dự án kè bờ sông Đồng Nai", "dự án Khu công nghiệp Minh Hưng III", "dự án đường ven sông Cái",
    "dự án Khu đô thị mới Nhơn Trạch", "dự án nâng cấp Quốc lộ 14", "dự án trường học liên cấp xã",
]

INDUSTRIAL_PARKS = ["Amata", "Biên Hòa 2", "Nhơn Trạch 3", "Long Thành", "Hố Nai", "Bàu Xéo", "Minh Hưng III",
                    "Chơn Thành", "Đồng Xoài II", "Giang Điền", "Tam Phước", "Lộc An - Bình Sơn"]

#: Offices whose officers petitions are about (tư pháp, địa chính ...).
OFFICES = ["địa chính - xây dựng", "tư pháp - hộ tịch", "văn hóa - xã hội", "Trung tâm Phục vụ hành chính công",
           "Chi nhánh Văn phòng Đăng ký đất đai", "Đội quản lý trật tự đô thị", "Ban quản lý chợ",
           "Phòng Kinh tế", "Trạm y tế"]

SUPPORT_SCHEMES = ["hỗ trợ người dân gặp khó khăn do dịch COVID-19", "hỗ trợ hộ nghèo đón Tết",
                   "hỗ trợ nhà ở cho người có công", "trợ cấp bảo trợ xã hội", "hỗ trợ chuyển đổi nghề nghiệp",
                   "hỗ trợ thiệt hại do thiên tai"]

#: Agencies a petition comes from (channel transferred / deputy / Front) and their dispatch suffixes.
SOURCE_AGENCIES = {
    "transferred": [("Ban Tiếp công dân Trung ương", "BTCDTW"), ("Thanh tra Chính phủ", "TTCP-VP"),
                    ("Ban Tiếp công dân tỉnh Đồng Nai", "BTCD"), ("Sở Nông nghiệp và Môi trường", "SNNMT"),
                    ("Công an tỉnh Đồng Nai", "CAT-PV01"), ("Văn phòng UBND tỉnh Đồng Nai", "VP-TCD")],
    "deputy": [("Đoàn đại biểu Quốc hội tỉnh Đồng Nai", "ĐĐBQH"),
               ("Thường trực HĐND tỉnh Đồng Nai", "HĐND-DN")],
    "front": [("Ủy ban MTTQ Việt Nam tỉnh Đồng Nai", "MTTQ-BTT"), ("Ủy ban MTTQ Việt Nam xã", "MTTQ")],
}

#: Where a petition outside the unit's competence is transferred to.
TRANSFER_TARGETS = [
    "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai", "Sở Xây dựng tỉnh Đồng Nai", "Công an tỉnh Đồng Nai",
    "Thanh tra tỉnh Đồng Nai", "Sở Nội vụ tỉnh Đồng Nai", "Bảo hiểm xã hội tỉnh Đồng Nai",
    "Chi nhánh Văn phòng Đăng ký đất đai", "Sở Y tế tỉnh Đồng Nai", "Sở Tài chính tỉnh Đồng Nai",
    "Ủy ban Kiểm tra Tỉnh ủy Đồng Nai", "Điện lực Đồng Nai", "Ban Quản lý các khu công nghiệp Đồng Nai",
]

#: Wards and communes of remote or especially difficult areas (vùng sâu, vùng xa): border and forest communes.
REMOTE_WARDS = frozenset({25222, 25225, 25231, 25292, 25294, 25308, 25309, 25349, 25396, 25399, 25402, 25405,
                          25420, 26119, 26122, 26134, 26173, 26209})

#: Wards much busier than the rest (land clearance around the airport, ring roads, Biên Hòa): a multiplier.
BUSY_WARDS = {26368: 6.0, 26389: 4.0, 26413: 4.0, 26422: 3.0, 26383: 3.0, 26485: 4.0, 26491: 3.0, 26503: 2.0,
              26041: 4.0, 26068: 3.0, 26380: 3.0, 26374: 3.0, 26377: 3.0, 25432: 3.0, 25210: 3.0, 25441: 2.0,
              26248: 2.0, 26020: 2.5, 26005: 2.0, 25993: 2.0}
