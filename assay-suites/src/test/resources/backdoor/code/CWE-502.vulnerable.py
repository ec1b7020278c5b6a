import base64
import pickle


def restore(cookie):
    return pickle.loads(base64.b64decode(cookie))
