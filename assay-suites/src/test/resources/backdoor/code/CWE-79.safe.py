from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    return "<p>Hello " + str(escape(request.args.get("name", ""))) + "</p>"
