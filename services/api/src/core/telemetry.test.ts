import { scrubAttributes, telemetryExporter } from './telemetry';

describe('telemetry switch (the standard OTEL_* variables)', () => {
  it('is off unless an OTLP endpoint or an exporter is named, and OTEL_SDK_DISABLED wins', () => {
    expect(telemetryExporter({})).toBeUndefined();
    expect(telemetryExporter({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(telemetryExporter({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe('otlp');
    expect(telemetryExporter({ OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
    expect(
      telemetryExporter({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
    ).toBeUndefined();
    expect(
      telemetryExporter({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toBeUndefined();
  });
});

describe('span attributes carry no query strings', () => {
  it('cuts the query from URLs and drops url.query, leaving other attributes alone', () => {
    const attrs: Record<string, unknown> = {
      'url.full': 'http://127.0.0.1:8080/fhir/Patient?name=Garcia&birthdate=1980-01-01',
      'http.target': '/api/patients?q=Maria%20Garcia',
      'url.query': 'q=Maria%20Garcia',
      'http.route': '/api/patients',
      'http.response.status_code': 200,
    };
    scrubAttributes(attrs);
    expect(attrs).toEqual({
      'url.full': 'http://127.0.0.1:8080/fhir/Patient',
      'http.target': '/api/patients',
      'http.route': '/api/patients',
      'http.response.status_code': 200,
    });
  });
});
