"""Administrative divisions come from vietnam-provinces (2025 two-level) and sort as Vietnamese readers expect."""

from app.persons.divisions import province_name, provinces, ward_in_province, ward_name, wards_of


def test_provinces_sort_alphabetically_in_vietnamese():
    names = [n for _, n in provinces()]
    assert len(names) == 34  # the provinces and cities since 1 July 2025
    assert names.index("Cao Bằng") < names.index("Đắk Lắk") < names.index("Gia Lai")
    assert names.index("Thành phố Hà Nội") < names.index("Hưng Yên")


def test_wards_belong_to_their_province():
    assert province_name(75) == "Đồng Nai"
    assert ward_name(25357) == "Xã Tân Khai"
    assert (25357, "Xã Tân Khai") in wards_of(75)
    assert ward_in_province(25357, 75)
    assert not ward_in_province(25357, 1)
    assert province_name(999) is None and ward_name(1) is None
