"""Running the student's code outside their kernel: an isolated worker process (worker.py), its
trusted side (session.py) and stand-ins the checks use in place of the student's answers (proxies.py)."""
