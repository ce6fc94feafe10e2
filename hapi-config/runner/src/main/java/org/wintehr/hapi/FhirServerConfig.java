package org.wintehr.hapi;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorBroadcaster;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.delete.ThreadSafeResourceDeleterSvc;
import ca.uhn.fhir.jpa.interceptor.CascadingDeleteInterceptor;
import ca.uhn.fhir.jpa.ips.provider.IpsOperationProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.SubscriptionTriggeringProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative.DefaultThymeleafNarrativeGenerator;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.RequestValidatingInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseValidatingInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The HAPI RestfulServer mounted at /fhir/* (same role as the starter's
 * StarterJpaConfig#restfulServer): JPA resource providers (CRUD, search, _history,
 * $validate, Patient/$everything, ...), the system provider (transaction/batch,
 * system _history, $expunge, ...), the JPA CapabilityStatement, bulk $export,
 * ValueSet operations and $trigger-subscription. No response highlighter, no CORS,
 * no tester UI, no auth (bind to 127.0.0.1; the WintEHR façade is the only client).
 */
@Configuration
public class FhirServerConfig {

	private static final Logger ourLog = LoggerFactory.getLogger(FhirServerConfig.class);

	@Bean
	public RestfulServer restfulServer(
			HapiProperties p,
			IFhirSystemDao<?, ?> theSystemDao,
			JpaSystemProvider<?, ?> theSystemProvider,
			ResourceProviderFactory theResourceProviders,
			JpaStorageSettings theStorageSettings,
			ISearchParamRegistry theSearchParamRegistry,
			IValidationSupport theValidationSupport,
			DatabaseBackedPagingProvider thePagingProvider,
			BulkDataExportProvider theBulkDataExportProvider,
			ValueSetOperationProvider theValueSetOperationProvider,
			SubscriptionTriggeringProvider theSubscriptionTriggeringProvider,
			IValidatorModule theValidatorModule,
			DaoRegistry theDaoRegistry,
			IInterceptorBroadcaster theInterceptorBroadcaster,
			ThreadSafeResourceDeleterSvc theResourceDeleterSvc,
			ObjectProvider<IpsOperationProvider> theIpsOperationProvider) {

		RestfulServer server = new RestfulServer(theSystemDao.getContext());

		theSystemDao
				.getContext()
				.setNarrativeGenerator(
						p.narrativeEnabled() ? new DefaultThymeleafNarrativeGenerator() : new NullNarrativeGenerator());

		server.registerProviders(theResourceProviders.createProviders());
		server.registerProvider(theSystemProvider);

		JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
				server, theSystemDao, theStorageSettings, theSearchParamRegistry, theValidationSupport);
		capabilities.setImplementationDescription("WintEHR HAPI FHIR R4 Server");
		server.setServerConformanceProvider(capabilities);

		if (!p.etagSupportEnabled()) {
			server.setETagSupport(ETagSupportEnum.DISABLED);
		}
		server.setDefaultResponseEncoding(p.defaultEncoding());
		server.setDefaultPrettyPrint(p.defaultPrettyPrint());

		thePagingProvider.setDefaultPageSize(p.defaultPageSize());
		thePagingProvider.setMaximumPageSize(p.maxPageSize());
		server.setPagingProvider(thePagingProvider);

		String address = p.serverAddress();
		if (address != null) {
			server.setServerAddressStrategy(new HardcodedServerAddressStrategy(address));
		} else {
			server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
		}

		server.registerProvider(theValueSetOperationProvider);
		server.registerProvider(theSubscriptionTriggeringProvider);
		if (p.bulkExportEnabled()) {
			server.registerProvider(theBulkDataExportProvider);
		}
		// Present only when hapi.fhir.ips_enabled is true (IpsConfig).
		theIpsOperationProvider.ifAvailable(server::registerProvider);

		if (p.allowCascadingDeletes()) {
			server.registerInterceptor(new CascadingDeleteInterceptor(
					theSystemDao.getContext(), theDaoRegistry, theInterceptorBroadcaster, theResourceDeleterSvc));
		}

		// $validate is always available; these only turn on validation of EVERY request/response
		if (p.validationRequestsEnabled()) {
			RequestValidatingInterceptor v = new RequestValidatingInterceptor();
			v.setFailOnSeverity(ResultSeverityEnum.ERROR);
			v.setValidatorModules(List.of(theValidatorModule));
			server.registerInterceptor(v);
		}
		if (p.validationResponsesEnabled()) {
			ResponseValidatingInterceptor v = new ResponseValidatingInterceptor();
			v.setFailOnSeverity(ResultSeverityEnum.ERROR);
			v.setValidatorModules(List.of(theValidatorModule));
			server.registerInterceptor(v);
		}

		ourLog.info(
				"FHIR R4 server: address={}, bulkExport={}, ips={}, resthook={}, reuseCachedSearchMs={}",
				address == null ? "(from request)" : address,
				p.bulkExportEnabled(),
				theIpsOperationProvider.getIfAvailable() != null,
				p.subscriptionResthookEnabled(),
				p.reuseCachedSearchResultsMillis());
		return server;
	}
}
