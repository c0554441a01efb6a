"""The package logger. WARNING is for input problems the user may want to fix (unknown headers); INFO for
what was read and written; DEBUG for detail when hunting a problem. Messages never carry a full 身份证号."""

import logging

LOGGER = logging.getLogger("report_builder")
