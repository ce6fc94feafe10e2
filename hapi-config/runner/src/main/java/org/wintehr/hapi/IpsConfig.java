package org.wintehr.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.ips.api.IIpsGenerationStrategy;
import ca.uhn.fhir.jpa.ips.generator.IIpsGeneratorSvc;
import ca.uhn.fhir.jpa.ips.generator.IpsGeneratorSvcImpl;
import ca.uhn.fhir.jpa.ips.jpa.DefaultJpaIpsGenerationStrategy;
import ca.uhn.fhir.jpa.ips.provider.IpsOperationProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * International Patient Summary: Patient/$summary (and Patient/$summary?identifier=) built by HAPI's own JPA
 * generation strategy, as the starter's StarterIpsConfig does, when hapi.fhir.ips_enabled is true. The strategy is a
 * bean so Spring hands it the DaoRegistry and FhirContext it reads the record through.
 */
@Configuration
@ConditionalOnProperty(prefix = "hapi.fhir", name = "ips_enabled", havingValue = "true")
public class IpsConfig {

	@Bean
	public IIpsGenerationStrategy ipsGenerationStrategy() {
		return new DefaultJpaIpsGenerationStrategy();
	}

	@Bean
	public IIpsGeneratorSvc ipsGeneratorSvc(FhirContext theFhirContext, IIpsGenerationStrategy theStrategy) {
		return new IpsGeneratorSvcImpl(theFhirContext, theStrategy);
	}

	@Bean
	public IpsOperationProvider ipsOperationProvider(IIpsGeneratorSvc theIpsGeneratorSvc) {
		return new IpsOperationProvider(theIpsGeneratorSvc);
	}
}
