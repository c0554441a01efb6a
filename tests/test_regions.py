"""Who issues a region's report, by level: the name a report's title and signature print."""

from __future__ import annotations

import pytest

from report_builder.regions import Level, Region


@pytest.mark.parametrize(
    ("name", "level", "office"),
    [
        ("示例省", Level.省, "示例省民政厅"),
        ("北京市", Level.省, "北京市民政局"),
        ("示例市", Level.市, "示例市民政局"),
        ("示例县", Level.县, "示例县民政局"),
        ("桃源乡", Level.乡, "桃源乡人民政府"),
        ("城东街道", Level.乡, "城东街道办事处"),
        ("柳溪村", Level.村, "柳溪村村民委员会"),
        ("东门社区", Level.村, "东门社区居民委员会"),
    ],
)
def test_office(name: str, level: Level, office: str) -> None:
    assert Region("990123", name, None, level, 2).office == office
