"""b2sdk's ``RawSimulator`` with one account and bucket ready, for fast gateway tests.

The simulator accepts 200-byte parts, so large-file code runs on tiny files without HTTP.
"""

from __future__ import annotations

from typing import Any

from b2sdk.v2 import RawSimulator

from coursedesk.services.upload.gateway import B2Gateway, Credentials

SIM_KEY_ID = "account-0"  # the simulator names its first account's master key so
SIM_APP_KEY = "masterKey-0"
SIM_BUCKET = "course-bucket"
SIM_REALM = "http://simulated.invalid"


class ReadySimulator(RawSimulator):  # type: ignore[misc]
    """A simulator whose first account exists and owns ``SIM_BUCKET``."""

    def __init__(self, b2_http: Any = None) -> None:
        super().__init__(b2_http)
        account_id, master = self.create_account()
        token = self.authorize_account(SIM_REALM, account_id, master)["authorizationToken"]
        self.create_bucket(self.API_URL, token, account_id, SIM_BUCKET, "allPrivate")
        self.setup_token = token


def simulated_gateway(
    *, key_id: str = SIM_KEY_ID, app_key: str = SIM_APP_KEY, bucket: str = SIM_BUCKET
) -> B2Gateway:
    return B2Gateway(Credentials(key_id, app_key, bucket, SIM_REALM), raw_api_class=ReadySimulator)
