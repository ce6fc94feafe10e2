package org.wintehr.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.util.LoggingEmailSender;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.cfg.AvailableSettings;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Storage-side beans HAPI's JPA configs expect the application to provide
 * (same role as the starter's FhirServerConfigCommon + StarterJpaConfig).
 * The DataSource itself is Spring Boot's Hikari pool built from spring.datasource.*.
 */
@Configuration
@EnableTransactionManagement
public class JpaServerConfig {

	private static final Logger ourLog = LoggerFactory.getLogger(JpaServerConfig.class);

	@Bean
	public JpaStorageSettings jpaStorageSettings(HapiProperties p) {
		if (!"R4".equalsIgnoreCase(p.fhirVersion())) {
			throw new IllegalStateException(
					"This runner only supports hapi.fhir.fhir_version=R4, got " + p.fhirVersion());
		}
		JpaStorageSettings s = new JpaStorageSettings();
		s.setAllowExternalReferences(p.allowExternalReferences());
		s.setAllowMultipleDelete(p.allowMultipleDelete());
		s.setAllowContainsSearches(p.allowContainsSearches());
		s.setDefaultSearchParamsCanBeOverridden(p.allowOverrideDefaultSearchParams());
		s.setAutoCreatePlaceholderReferenceTargets(p.autoCreatePlaceholderReferenceTargets());
		s.setEnforceReferentialIntegrityOnWrite(p.enforceReferentialIntegrityOnWrite());
		s.setEnforceReferentialIntegrityOnDelete(p.enforceReferentialIntegrityOnDelete());
		s.setSchedulingDisabled(!p.daoSchedulingEnabled());
		s.setDeleteExpungeEnabled(p.deleteExpungeEnabled());
		s.setExpungeEnabled(p.expungeEnabled());
		s.setFilterParameterEnabled(p.filterSearchEnabled());
		s.setIndexMissingFields(
				p.enableIndexMissingFields()
						? JpaStorageSettings.IndexEnabledEnum.ENABLED
						: JpaStorageSettings.IndexEnabledEnum.DISABLED);
		s.setFetchSizeDefaultMaximum(p.maxPageSize());

		// 0 = never hand out a cached search result (HAPI's default is 60 s of staleness)
		s.setReuseCachedSearchResultsForMillis(p.reuseCachedSearchResultsMillis());
		s.setExpireSearchResultsAfterMillis(p.retainCachedSearchesMins() * 60 * 1000);
		ourLog.info("Search result reuse window: {} ms", p.reuseCachedSearchResultsMillis());

		s.setResourceClientIdStrategy(p.clientIdStrategy());
		JpaStorageSettings.IdStrategyEnum serverIds = p.serverIdStrategy();
		if (serverIds == null && p.clientIdStrategy() == JpaStorageSettings.ClientIdStrategyEnum.ANY) {
			// same default as the starter: numeric server ids could clash with client ids
			serverIds = JpaStorageSettings.IdStrategyEnum.UUID;
		}
		if (serverIds != null) {
			s.setResourceServerIdStrategy(serverIds);
		}
		ourLog.info("Client id strategy {}, server id strategy {}", p.clientIdStrategy(), serverIds);
		return s;
	}

	@Bean
	public SubscriptionSettings subscriptionSettings(HapiProperties p) {
		SubscriptionSettings s = new SubscriptionSettings();
		if (p.subscriptionResthookEnabled()) {
			ourLog.info("REST-hook subscriptions enabled");
			s.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
		}
		if (p.subscriptionPollingIntervalMs() != null) {
			s.setSubscriptionIntervalInMs(p.subscriptionPollingIntervalMs());
		}
		if (p.subscriptionImmediatelyQueued()) {
			s.setSubscriptionChangeQueuedImmediately(true);
		}
		return s;
	}

	@Bean
	public PartitionSettings partitionSettings() {
		return new PartitionSettings(); // partitioning off
	}

	/**
	 * HAPI's entity manager factory, with hibernate properties from spring.jpa.properties.*
	 * (hibernate.dialect = HapiFhirPostgresDialect in application.yaml) and the same defaults
	 * the starter applies (EnvironmentHelper.getHibernateProperties).
	 */
	@Primary
	@Bean
	public LocalContainerEntityManagerFactoryBean entityManagerFactory(
			DataSource theDataSource,
			ConfigurableListableBeanFactory theBeanFactory,
			FhirContext theFhirContext,
			JpaStorageSettings theStorageSettings,
			Environment theEnv) {
		LocalContainerEntityManagerFactoryBean emf =
				HapiEntityManagerFactoryUtil.newEntityManagerFactory(theBeanFactory, theFhirContext, theStorageSettings);
		emf.setPersistenceUnitName("HAPI_PU");
		emf.setDataSource(theDataSource);

		Properties props = new Properties();
		Map<String, String> fromYaml = Binder.get(theEnv)
				.bind("spring.jpa.properties", Bindable.mapOf(String.class, String.class))
				.orElse(Map.of());
		props.putAll(fromYaml);
		props.putIfAbsent(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
		props.putIfAbsent(AvailableSettings.IMPLICIT_NAMING_STRATEGY, SpringImplicitNamingStrategy.class.getName());
		props.putIfAbsent(
				AvailableSettings.PHYSICAL_NAMING_STRATEGY, CamelCaseToUnderscoresNamingStrategy.class.getName());
		props.putIfAbsent(AvailableSettings.HBM2DDL_AUTO, "update");
		props.putIfAbsent(AvailableSettings.FORMAT_SQL, "false");
		props.putIfAbsent(AvailableSettings.SHOW_SQL, "false");
		props.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
		props.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
		props.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
		props.putIfAbsent(AvailableSettings.USE_STRUCTURED_CACHE, "false");
		props.putIfAbsent(AvailableSettings.USE_MINIMAL_PUTS, "false");
		props.putIfAbsent("hibernate.search.enabled", "false");
		if (props.getProperty(AvailableSettings.DIALECT) == null) {
			throw new IllegalStateException("spring.jpa.properties.hibernate.dialect must be set "
					+ "(ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect for PostgreSQL)");
		}
		ourLog.info("Hibernate dialect {}", props.getProperty(AvailableSettings.DIALECT));
		emf.setJpaProperties(props);
		return emf;
	}

	@Primary
	@Bean
	public JpaTransactionManager transactionManager(EntityManagerFactory theEntityManagerFactory) {
		JpaTransactionManager tm = new JpaTransactionManager();
		tm.setEntityManagerFactory(theEntityManagerFactory);
		return tm;
	}

	/** Email subscriptions are not enabled; the processor config still needs a sender bean. */
	@Bean
	public IEmailSender emailSender() {
		return new LoggingEmailSender();
	}

	@Lazy
	@Bean
	public IBinaryStorageSvc binaryStorageSvc() {
		return new DatabaseBinaryContentStorageSvcImpl();
	}
}
