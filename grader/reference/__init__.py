"""Trusted reference implementations. Checks compare against these; they never call a student's
other answers (one bug costs points once)."""
