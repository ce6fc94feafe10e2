import { Alert, Box, Button, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { portalApi } from '../../core/portal/acting-for';
import { ErrorAlert } from '../../core/ui/ErrorAlert';
import { PageHeader } from '../../core/ui/states';
import { PortalSection } from '../../core/ui/PortalSection';
import { TierGate } from './TierGate';

/** Saves a JSON document through a temporary link (the token stays in memory; nothing opens in a new tab). */
function save(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/fhir+json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Download my record as a FHIR bundle, or as an International Patient Summary (HAPI's Patient/$summary). */
export function DownloadPage() {
  return (
    <TierGate area="download" title="Download the record" what="The record download">
      <Download />
    </TierGate>
  );
}

function Download() {
  const fhir = useMutation({
    mutationFn: () => portalApi.get<fhir4.Bundle>('/api/portal/download/fhir'),
    onSuccess: (bundle) => save(`my-health-record-${new Date().toISOString().slice(0, 10)}.json`, bundle),
  });
  const ips = useMutation({
    mutationFn: () => portalApi.get<fhir4.Bundle>('/api/portal/download/ips'),
    onSuccess: (bundle) => save(`my-patient-summary-${new Date().toISOString().slice(0, 10)}.json`, bundle),
  });
  const sections = (ips.data?.entry?.[0]?.resource as fhir4.Composition | undefined)?.section ?? [];
  return (
    <Box sx={{ maxWidth: 880 }}>
      <PageHeader title="Download my record" />
      <PortalSection title="Your record as a FHIR file">
        <Typography sx={{ mb: 2 }}>
          A complete copy of your record in FHIR, the standard format health apps and other practices read. Keep it
          safe: it contains your health information.
        </Typography>
        {fhir.error && <ErrorAlert error={fhir.error} title="The download did not work" />}
        {fhir.isSuccess && (
          <Alert severity="success" sx={{ mb: 2 }}>
            Your record was downloaded ({fhir.data.entry?.length ?? 0} items).
          </Alert>
        )}
        <Button variant="contained" onClick={() => fhir.mutate()} disabled={fhir.isPending}>
          Download my record (FHIR)
        </Button>
      </PortalSection>
      <PortalSection title="International Patient Summary">
        <Typography sx={{ mb: 2 }}>
          A short summary for travel or a new doctor — allergies, medications, problems, results and vital signs — in
          the international standard (HL7 IPS) that other countries' systems read.
        </Typography>
        {ips.error && <ErrorAlert error={ips.error} title="The summary could not be made" />}
        {ips.isSuccess && (
          <Alert severity="success" sx={{ mb: 2 }}>
            Your summary was downloaded ({sections.map((s) => s.title).join(', ') || 'no sections'}).
          </Alert>
        )}
        <Button variant="outlined" onClick={() => ips.mutate()} disabled={ips.isPending}>
          Download my summary (IPS)
        </Button>
      </PortalSection>
    </Box>
  );
}
