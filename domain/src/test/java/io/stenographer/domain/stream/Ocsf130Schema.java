package io.stenographer.domain.stream;

import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;

/**
 * Test fixture: the parts of the OCSF 1.3.0 schema that Stenographer's OCSF output uses, written by hand from the
 * published OCSF 1.3.0 documentation (schema.ocsf.io, "1.3.0"), because no OCSF schema package is reachable from
 * the build. It lists, for the base event, the three classes and the objects used: each attribute's type, whether
 * it is required, and the enum ids. Attributes not listed here are not used by the writer, so the validator
 * ({@link OcsfSchemaValidator}) refuses any attribute the fixture does not define (outside {@code unmapped}).
 *
 * <p>Types: {@code string_t}, {@code integer_t} (32-bit), {@code long_t}, {@code timestamp_t} (milliseconds since
 * the epoch, an integer), {@code ip_t}, {@code json_t} (any value), or an object name; {@code "is_array": true}
 * for arrays. Requirement: {@code required}, {@code recommended} or {@code optional}.
 */
final class Ocsf130Schema {

    private Ocsf130Schema() {
    }

    static final String VERSION = "1.3.0";

    static final String TEXT = """
            {
              "version": "1.3.0",
              "base_event": {
                "activity_id": {"type": "integer_t", "requirement": "required"},
                "activity_name": {"type": "string_t", "requirement": "optional"},
                "category_uid": {"type": "integer_t", "requirement": "required"},
                "category_name": {"type": "string_t", "requirement": "optional"},
                "class_uid": {"type": "integer_t", "requirement": "required"},
                "class_name": {"type": "string_t", "requirement": "optional"},
                "type_uid": {"type": "long_t", "requirement": "required"},
                "type_name": {"type": "string_t", "requirement": "optional"},
                "time": {"type": "timestamp_t", "requirement": "required"},
                "severity_id": {"type": "integer_t", "requirement": "required",
                  "enum": {"0": "Unknown", "1": "Informational", "2": "Low", "3": "Medium", "4": "High",
                           "5": "Critical", "6": "Fatal", "99": "Other"}},
                "severity": {"type": "string_t", "requirement": "optional"},
                "status_id": {"type": "integer_t", "requirement": "recommended",
                  "enum": {"0": "Unknown", "1": "Success", "2": "Failure", "99": "Other"}},
                "status": {"type": "string_t", "requirement": "recommended"},
                "status_detail": {"type": "string_t", "requirement": "optional"},
                "message": {"type": "string_t", "requirement": "recommended"},
                "metadata": {"type": "metadata", "requirement": "required"},
                "unmapped": {"type": "json_t", "requirement": "optional"}
              },
              "classes": {
                "6003": {
                  "name": "API Activity", "category_uid": 6, "category_name": "Application Activity",
                  "activity_id": {"0": "Unknown", "1": "Create", "2": "Read", "3": "Update", "4": "Delete",
                                  "99": "Other"},
                  "attributes": {
                    "actor": {"type": "actor", "requirement": "required"},
                    "api": {"type": "api", "requirement": "required"},
                    "src_endpoint": {"type": "network_endpoint", "requirement": "required"},
                    "http_request": {"type": "http_request", "requirement": "recommended"},
                    "resources": {"type": "resource_details", "is_array": true, "requirement": "recommended"}
                  }
                },
                "3002": {
                  "name": "Authentication", "category_uid": 3, "category_name": "Identity & Access Management",
                  "activity_id": {"0": "Unknown", "1": "Logon", "2": "Logoff", "3": "Authentication Ticket",
                                  "4": "Service Ticket Request", "5": "Service Ticket Renew", "6": "Preauth",
                                  "99": "Other"},
                  "attributes": {
                    "user": {"type": "user", "requirement": "required"},
                    "actor": {"type": "actor", "requirement": "optional"},
                    "src_endpoint": {"type": "network_endpoint", "requirement": "recommended"},
                    "http_request": {"type": "http_request", "requirement": "optional"},
                    "resources": {"type": "resource_details", "is_array": true, "requirement": "optional"}
                  }
                },
                "3001": {
                  "name": "Account Change", "category_uid": 3, "category_name": "Identity & Access Management",
                  "activity_id": {"0": "Unknown", "1": "Create", "2": "Enable", "3": "Password Change",
                                  "4": "Password Reset", "5": "Disable", "6": "Delete", "7": "Attach Policy",
                                  "8": "Detach Policy", "9": "Lock", "10": "MFA Factor Enable",
                                  "11": "MFA Factor Disable", "99": "Other"},
                  "attributes": {
                    "user": {"type": "user", "requirement": "required"},
                    "actor": {"type": "actor", "requirement": "optional"},
                    "src_endpoint": {"type": "network_endpoint", "requirement": "optional"},
                    "http_request": {"type": "http_request", "requirement": "optional"},
                    "resources": {"type": "resource_details", "is_array": true, "requirement": "optional"}
                  }
                }
              },
              "objects": {
                "metadata": {
                  "version": {"type": "string_t", "requirement": "required"},
                  "product": {"type": "product", "requirement": "required"},
                  "uid": {"type": "string_t", "requirement": "optional"},
                  "log_name": {"type": "string_t", "requirement": "recommended"},
                  "logged_time": {"type": "timestamp_t", "requirement": "optional"},
                  "correlation_uid": {"type": "string_t", "requirement": "optional"}
                },
                "product": {
                  "name": {"type": "string_t", "requirement": "recommended"},
                  "vendor_name": {"type": "string_t", "requirement": "required"},
                  "version": {"type": "string_t", "requirement": "recommended"}
                },
                "actor": {
                  "user": {"type": "user", "requirement": "recommended"},
                  "app_name": {"type": "string_t", "requirement": "optional"},
                  "@at_least_one": ["app_name", "user"]
                },
                "user": {
                  "uid": {"type": "string_t", "requirement": "recommended"},
                  "name": {"type": "string_t", "requirement": "recommended"},
                  "type_id": {"type": "integer_t", "requirement": "recommended",
                    "enum": {"0": "Unknown", "1": "User", "2": "Admin", "3": "System", "99": "Other"}},
                  "type": {"type": "string_t", "requirement": "optional"},
                  "@at_least_one": ["name", "uid"]
                },
                "api": {
                  "operation": {"type": "string_t", "requirement": "required"},
                  "service": {"type": "service", "requirement": "optional"}
                },
                "service": {
                  "name": {"type": "string_t", "requirement": "recommended"}
                },
                "network_endpoint": {
                  "ip": {"type": "ip_t", "requirement": "recommended"},
                  "name": {"type": "string_t", "requirement": "recommended"},
                  "@at_least_one": ["ip", "name"]
                },
                "http_request": {
                  "user_agent": {"type": "string_t", "requirement": "recommended"}
                },
                "resource_details": {
                  "uid": {"type": "string_t", "requirement": "recommended"},
                  "type": {"type": "string_t", "requirement": "optional"},
                  "@at_least_one": ["uid"]
                }
              }
            }
            """;

    static JsonObject schema() {
        return (JsonObject) JsonParser.parse(TEXT, 16);
    }
}
