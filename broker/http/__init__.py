"""What the JSON API (:mod:`broker.api`) and the web pages (:mod:`broker.web`) share: the request
context, problem details, rate limits and the plain-language sentences, so neither imports the
other."""
