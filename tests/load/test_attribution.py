"""Which region an error belongs to: the row's region, else the region the file's path names, else none."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_builder.issues import collect
from report_builder.load.attribution import region_named_by
from report_builder.load.region_table import read_regions
from tests.conftest import REGIONS


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("regions")
    (folder / "regions.csv").write_text(REGIONS, encoding="utf-8")
    return collect(read_regions(folder), [])


@pytest.mark.parametrize(
    ("path", "region"),
    [
        ("990124/乡镇.xlsx", "990124"),
        ("邻县乡镇数据.xlsx", "990124"),
        ("990123-示例县/青山镇.xlsx", "990123102000"),  # the 青山镇 of 示例县, not 邻县's
        ("邻县/青山镇.csv", "990124102000"),
        ("青山镇.xlsx", "990100"),  # two 青山镇: the city above both
        ("示例县与邻县.xlsx", "990100"),
        ("乡镇数据.xlsx", None),
        ("2020Q3/123456.csv", None),  # digits that are no region
    ],
)
def test_the_region_a_path_names(tree, path: str, region: str | None) -> None:
    assert region_named_by(path, tree) == region


def test_paths_are_read_from_a_folder_of_files(tree) -> None:
    assert region_named_by(Path("990123-示例县", "城关镇.xlsx").as_posix(), tree) == "990123101000"
