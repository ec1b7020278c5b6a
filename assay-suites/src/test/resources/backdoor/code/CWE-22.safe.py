import os
from flask import Flask, abort, request, send_file

app = Flask(__name__)
BASE = os.path.realpath("uploads")


@app.route("/download")
def download():
    path = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if not path.startswith(BASE + os.sep):
        abort(404)
    return send_file(path)
