"""The tile-grid map of Vietnam's 34 provinces (from 1 July 2025): one tile per province at
a place authored by hand, roughly geographic, north to south.

Positions are (column, row) on a 5-column grid: the northern mountains and the Red River
delta in rows 0-3, the central coast as a one-tile strip (rows 4-12), the south-east and the
Mekong delta below. The codes are the registry's ``province_code``
(``frameworks/units/vn-admin-units-2025.csv``). The lines are the short name shown on the
tile (the page gives the full name to screen readers and in the tooltip).
"""

from __future__ import annotations

# code: (column, row, short name on one or two lines)
VN_2025: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "12": (0, 0, ("Lai", "Châu")),
    "15": (1, 0, ("Lào", "Cai")),
    "08": (2, 0, ("Tuyên", "Quang")),
    "04": (3, 0, ("Cao", "Bằng")),
    "11": (0, 1, ("Điện", "Biên")),
    "14": (1, 1, ("Sơn La",)),
    "19": (2, 1, ("Thái", "Nguyên")),
    "20": (3, 1, ("Lạng", "Sơn")),
    "25": (1, 2, ("Phú Thọ",)),
    "01": (2, 2, ("Hà Nội",)),
    "24": (3, 2, ("Bắc", "Ninh")),
    "22": (4, 2, ("Quảng", "Ninh")),
    "37": (2, 3, ("Ninh", "Bình")),
    "33": (3, 3, ("Hưng", "Yên")),
    "31": (4, 3, ("Hải", "Phòng")),
    "38": (2, 4, ("Thanh", "Hóa")),
    "40": (2, 5, ("Nghệ An",)),
    "42": (3, 6, ("Hà Tĩnh",)),
    "44": (3, 7, ("Quảng", "Trị")),
    "46": (4, 8, ("Huế",)),
    "48": (4, 9, ("Đà", "Nẵng")),
    "51": (4, 10, ("Quảng", "Ngãi")),
    "52": (4, 11, ("Gia Lai",)),
    "66": (4, 12, ("Đắk Lắk",)),
    "75": (2, 13, ("Đồng", "Nai")),
    "68": (3, 13, ("Lâm", "Đồng")),
    "56": (4, 13, ("Khánh", "Hòa")),
    "80": (1, 14, ("Tây", "Ninh")),
    "79": (2, 14, ("TP. Hồ", "Chí Minh")),
    "91": (0, 15, ("An", "Giang")),
    "82": (1, 15, ("Đồng", "Tháp")),
    "86": (2, 15, ("Vĩnh", "Long")),
    "92": (1, 16, ("Cần Thơ",)),
    "96": (0, 17, ("Cà Mau",)),
}


def layout_for(codes: set[str]) -> dict[str, tuple[int, int, tuple[str, ...]]] | None:
    """The authored layout when it places every one of ``codes`` (the top tier of the
    registry), else ``None``: a framework over other units gets no map, only the ranking."""
    if codes and codes <= VN_2025.keys():
        return VN_2025
    return None
