# A pytest plugin (loaded with -p s3tests_alarm): every test gets S3TESTS_ALARM_S seconds (40 by
# default), set-up and tear-down included, so one hung request cannot stop the run. pytest-timeout
# is not packaged here; signal.alarm is enough for a single-threaded run.
import os
import signal

import pytest

LIMIT = int(os.environ.get('S3TESTS_ALARM_S', '40'))


class TestTimedOut(Exception):
    pass


def _expire(signum, frame):
    raise TestTimedOut(f'the test did not finish within {LIMIT} s')


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.alarm(LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
