"""The calendar words of English news text: month and weekday names and time-zone labels.

One list for sentence splitting, date resolution and name suggestions."""

from __future__ import annotations

import calendar

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
# AP style abbreviates these before a day (Jan., Feb., Aug., Sept., Oct., Nov., Dec.); wire copy
# also drops the period (Oct 31). March to July are written out; "May" is its own name.
MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                       "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}
ZONES = {"ET": "America/New_York", "EDT": "America/New_York", "EST": "America/New_York",
         "PT": "America/Los_Angeles", "BJT": "Asia/Shanghai", "Beijing time": "Asia/Shanghai",
         "PKT": "Asia/Karachi", "Pakistan time": "Asia/Karachi", "GMT": "UTC", "UTC": "UTC"}
