"""Running it for months: schedules, sensors, automation, concurrency, crashes, the UI."""
