package dev.assay.suite;

/** A parameter a suite takes from the command line (-S name=value), as {@code assay list suites --verbose} shows it. */
public record SuiteParameter(String name, String defaultValue, String description) {
}
