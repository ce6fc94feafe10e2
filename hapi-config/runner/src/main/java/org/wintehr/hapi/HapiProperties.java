package org.wintehr.hapi;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.rest.api.EncodingEnum;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The {@code hapi.fhir.*} keys of the shared application.yaml that this runner honours.
 * Key names and defaults follow hapi-fhir-jpaserver-starter's AppProperties, so the same
 * file means the same thing here and in the official image. Keys are looked up verbatim
 * (snake_case, as the starter spells them); unknown keys are simply ignored.
 */
@Component
public class HapiProperties {

	private static final String P = "hapi.fhir.";
	private final Environment myEnv;

	public HapiProperties(Environment theEnv) {
		myEnv = theEnv;
	}

	private boolean bool(String theKey, boolean theDefault) {
		return myEnv.getProperty(P + theKey, Boolean.class, theDefault);
	}

	private int integer(String theKey, int theDefault) {
		return myEnv.getProperty(P + theKey, Integer.class, theDefault);
	}

	private long lng(String theKey, long theDefault) {
		return myEnv.getProperty(P + theKey, Long.class, theDefault);
	}

	private String str(String theKey, String theDefault) {
		String v = myEnv.getProperty(P + theKey);
		return v == null || v.isBlank() ? theDefault : v.trim();
	}

	public String fhirVersion() {
		return str("fhir_version", "R4");
	}

	public String serverAddress() {
		return str("server_address", null);
	}

	public int defaultPageSize() {
		return integer("default_page_size", 20);
	}

	public int maxPageSize() {
		return integer("max_page_size", Integer.MAX_VALUE);
	}

	public EncodingEnum defaultEncoding() {
		return EncodingEnum.valueOf(str("default_encoding", "JSON").toUpperCase());
	}

	public boolean defaultPrettyPrint() {
		return bool("default_pretty_print", true);
	}

	public boolean etagSupportEnabled() {
		return bool("etag_support_enabled", true);
	}

	public boolean narrativeEnabled() {
		return bool("narrative_enabled", true);
	}

	public boolean allowExternalReferences() {
		return bool("allow_external_references", false);
	}

	public boolean allowMultipleDelete() {
		return bool("allow_multiple_delete", false);
	}

	public boolean allowCascadingDeletes() {
		return bool("allow_cascading_deletes", false);
	}

	public boolean allowContainsSearches() {
		return bool("allow_contains_searches", true);
	}

	public boolean allowOverrideDefaultSearchParams() {
		return bool("allow_override_default_search_params", true);
	}

	public boolean autoCreatePlaceholderReferenceTargets() {
		return bool("auto_create_placeholder_reference_targets", false);
	}

	public boolean enforceReferentialIntegrityOnWrite() {
		return bool("enforce_referential_integrity_on_write", true);
	}

	public boolean enforceReferentialIntegrityOnDelete() {
		return bool("enforce_referential_integrity_on_delete", true);
	}

	public boolean daoSchedulingEnabled() {
		return bool("dao_scheduling_enabled", true);
	}

	public boolean deleteExpungeEnabled() {
		return bool("delete_expunge_enabled", false);
	}

	public boolean expungeEnabled() {
		return bool("expunge_enabled", true);
	}

	public boolean filterSearchEnabled() {
		return bool("filter_search_enabled", true);
	}

	public boolean enableIndexMissingFields() {
		return bool("enable_index_missing_fields", false);
	}

	public long reuseCachedSearchResultsMillis() {
		return lng("reuse_cached_search_results_millis", 60000L);
	}

	public long retainCachedSearchesMins() {
		return lng("retain_cached_searches_mins", 60L);
	}

	public JpaStorageSettings.ClientIdStrategyEnum clientIdStrategy() {
		return JpaStorageSettings.ClientIdStrategyEnum.valueOf(
				str("client_id_strategy", "ALPHANUMERIC").toUpperCase());
	}

	public JpaStorageSettings.IdStrategyEnum serverIdStrategy() {
		String v = str("server_id_strategy", null);
		return v == null ? null : JpaStorageSettings.IdStrategyEnum.valueOf(v.toUpperCase());
	}

	public boolean bulkExportEnabled() {
		return bool("bulk_export_enabled", false);
	}

	public boolean subscriptionResthookEnabled() {
		return bool("subscription.resthook_enabled", false);
	}

	public Long subscriptionPollingIntervalMs() {
		return myEnv.getProperty(P + "subscription.polling_interval_ms", Long.class);
	}

	public boolean subscriptionImmediatelyQueued() {
		return bool("subscription.immediately_queued", false);
	}

	public boolean validationRequestsEnabled() {
		return bool("validation.requests_enabled", false);
	}

	public boolean validationResponsesEnabled() {
		return bool("validation.responses_enabled", false);
	}
}
