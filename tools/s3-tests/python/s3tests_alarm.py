# A pytest plugin (loaded with -p s3tests_alarm): each phase of a test (set-up, call, tear-down) gets
# S3TESTS_ALARM_S seconds (40 by default), so one hung request cannot stop the run. pytest-timeout is
# not packaged here; signal.alarm is enough for a single-threaded run. The alarm is off while pytest
# writes its reports, so it never fires inside pytest itself.
import os
import signal

import pytest

LIMIT = int(os.environ.get('S3TESTS_ALARM_S', '40'))


class TestTimedOut(Exception):
    pass


def _expire(signum, frame):
    raise TestTimedOut(f'the test did not finish within {LIMIT} s')


def _bounded():
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.alarm(LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _bounded()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _bounded()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield from _bounded()
