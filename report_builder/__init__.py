"""report_builder: civil-affairs tables in, checked Chinese work reports out."""

import copyreg
from types import MappingProxyType


def _read_only(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


# The loaded inputs keep their mappings read-only (MappingProxyType), and must still cross process boundaries
# (a process pool, a Dask cluster) as plain data: a read-only view pickles as the dict it shows.
copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))
