"""What an ingest is asked: the LSOA vintage rules, and how many files are worked on at once."""

from __future__ import annotations

import os
from dataclasses import dataclass

from csphub.common.progress import StepListener

from ..errors import SettingsError

LSOA_VINTAGES = (2011, 2021)


@dataclass(frozen=True)
class IngestSettings:
    """``lsoa_vintage`` forces a vintage (2011 or 2021) instead of reading it from the codes; files whose
    codes exist in both vintages get ``default_lsoa_vintage``."""

    lsoa_vintage: int | None = None
    default_lsoa_vintage: int = 2021
    progress: bool = False
    # told of each step of the ingest (name, done, total): the web app's progress bar
    listener: StepListener | None = None

    def __post_init__(self) -> None:
        if self.lsoa_vintage is not None and self.lsoa_vintage not in LSOA_VINTAGES:
            raise SettingsError(f"the LSOA vintage must be 2011 or 2021, not {self.lsoa_vintage}")
        if self.default_lsoa_vintage not in LSOA_VINTAGES:
            raise SettingsError(f"the default LSOA vintage must be 2011 or 2021, not {self.default_lsoa_vintage}")


def _workers(jobs: int) -> int:
    return max(1, min(jobs, 2 * (os.cpu_count() or 1)))
