from flask import Flask, request
from jinja2 import Environment

app = Flask(__name__)
env = Environment(autoescape=False)


@app.route("/hello")
def hello():
    return env.from_string("<p>Hello {{ name }}</p>").render(name=request.args.get("name", ""))
