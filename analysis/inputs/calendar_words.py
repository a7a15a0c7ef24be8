"""The calendar words of English news text: month and weekday names and time-zone labels.

One list for sentence splitting, date resolution and name suggestions."""

from __future__ import annotations

import calendar

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}
ZONES = {"ET": "America/New_York", "EDT": "America/New_York", "EST": "America/New_York",
         "PT": "America/Los_Angeles", "BJT": "Asia/Shanghai", "PKT": "Asia/Karachi",
         "GMT": "UTC", "UTC": "UTC"}
