import base64
import json


def restore(cookie):
    return json.loads(base64.b64decode(cookie))
