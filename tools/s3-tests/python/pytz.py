# A stand-in for the pytz package, which ceph/s3-tests imports but Debian does not package for this use:
# the tests ask it for UTC only.
import datetime

utc = datetime.timezone.utc
UTC = utc


def timezone(name):
    return datetime.timezone.utc
