import type { DrugKnowledgeBase } from '../../drug-safety';
import type { CdsService } from '../cds-types';
import { orderSelectService } from './order-select.service';
import { orderSignService } from './order-sign.service';
import { patientViewService } from './patient-view.service';

/** Every CDS service this server offers; discovery lists them in this order. */
export function cdsServices(kb: DrugKnowledgeBase): CdsService<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [patientViewService(kb), orderSelectService(kb), orderSignService(kb)];
}
