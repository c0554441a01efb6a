"""What the 通报 template sees: the ranking of the regions of one level on the targets handed down, the misses,
and the regions left out because their data did not pass validation.

The figures are the ranking's (report.ranking), which is the 目标完成情况 sheet's, computed from the same target
check as the county reports; the template only lays them out. The issuing office is the region the ranked
regions have in common (a city for its counties), named as the quarterly report names its own office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from report_builder.dataset import Dataset
from report_builder.periods import Period
from report_builder.report.filters import cn_date
from report_builder.report.ranking import rank
from report_builder.targets.check import Status, TargetResult

NOTICE_TEMPLATE = "notice"


def issuer(data: Dataset, codes: list[str]) -> str | None:
    """The nearest region above every one of `codes` (the city of its counties), None when they share none."""
    parents = [p for c in codes if (p := data.regions[c].parent) is not None and p in data.regions]
    return data.regions.common_ancestor(parents) if len(parents) == len(codes) else None


def notice_context(data: Dataset, results: list[TargetResult], codes: list[str], unranked: Collection[str],
                   period: Period, date: dt.date) -> dict[str, object]:  # fmt: skip
    """`results`: the target check of `codes`; `unranked`: the codes whose data did not pass validation,
    named and not ranked."""
    left_out = set(unranked)
    rankings = rank([r for r in results if r.region not in left_out], data)
    lines = [t for ranking in rankings for t in ranking.lines]
    top = issuer(data, codes)
    office = data.regions[top] if top else None
    return {
        "period": period,
        "sub": data.regions[codes[0]].level.collective if codes else "",
        "ranked_level": data.regions[codes[0]].level.name if codes else "",
        "issuer": office,
        "org": office.office if office else "",
        "date": cn_date(date),
        "rankings": rankings,
        "bases": list(dict.fromkeys(t.basis for t in lines if t.basis)),
        "regions": len(codes),
        "ranked_regions": len({t.region_code for t in lines if t.rank is not None}),
        "unranked": [data.regions[c].name for c in codes if c in left_out],
        "pairs": len(lines),
        "met": sum(t.status == Status.MET for t in lines),
        "missed": sum(t.status == Status.MISSED for t in lines),
        "unknown": sum(t.status == Status.UNKNOWN for t in lines),
    }
