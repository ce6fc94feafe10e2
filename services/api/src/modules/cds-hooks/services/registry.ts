import type { DrugKnowledgeBase } from '../../drug-safety';
import type { CdsService } from '../cds-types';
import { orderSelectService } from './order-select.service';
import { orderSignService } from './order-sign.service';
import { patientViewService } from './patient-view.service';

/** Every CDS service this server offers; discovery lists them in this order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- services differ in their prefetch types
export function cdsServices(kb: DrugKnowledgeBase): CdsService<any>[] {
  return [patientViewService(kb), orderSelectService(kb), orderSignService(kb)];
}
