import os
from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/download")
def download():
    return send_file(os.path.join("uploads", request.args["name"]))
