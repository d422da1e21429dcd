/**
 * The payment gateway boundary (status 6, financial obligation). hoso integrates no gateway: a deployment provides
 * one behind this interface (the national Public Service Portal's payment platform, a bank). A gateway proves its
 * callbacks itself (signature, mutual TLS…); a verified callback confirms the payment through the lifecycle rules as
 * the `payment_gateway` system actor, so the amount must match the notice and the dossier must be awaiting it.
 */
import type { AppContext } from '../../platform/context.ts';
import { defineError } from '../../platform/http/problem.ts';
import { applyAction, type DecisionResult } from '../service.ts';
import * as store from '../store.ts';

export interface PaymentCallback {
  /** The dossier code the notice was issued for (printed on the notice as the payment reference's subject). */
  dossierCode: string;
  /** The gateway's transaction reference. */
  paymentRef: string;
  amountVnd: number;
}

export interface PaymentGateway {
  /** Path segment of its callback: POST /api/payments/:gateway/callback. */
  id: string;
  /** The callback's content if the gateway can prove it sent it; null otherwise (nothing is changed). */
  verifyCallback(headers: Readonly<Record<string, string | string[] | undefined>>, body: Uint8Array): Promise<PaymentCallback | null>;
}

export const PaymentErrors = {
  unknownGateway: defineError('PAYMENT_GATEWAY_UNKNOWN', 404, { vi: 'Cổng thanh toán không được cấu hình', en: 'No such payment gateway is configured' }),
  unverified: defineError('PAYMENT_CALLBACK_UNVERIFIED', 401, {
    vi: 'Không xác thực được thông báo của cổng thanh toán',
    en: 'The payment gateway callback could not be verified',
  }),
  unknownDossier: defineError('PAYMENT_DOSSIER_UNKNOWN', 404, { vi: 'Không có hồ sơ với mã đã thanh toán', en: 'No dossier has the paid code' }),
};

/** Applies a verified callback: `confirm_payment` by the gateway (refusals keep their stable codes). */
export async function confirmGatewayPayment(ctx: AppContext, callback: PaymentCallback): Promise<DecisionResult> {
  const row = await store.getDossierByCode(ctx.db, callback.dossierCode);
  if (!row) throw PaymentErrors.unknownDossier({ dossierCode: callback.dossierCode });
  return applyAction(ctx, null, row.id, { type: 'confirm_payment', paymentRef: callback.paymentRef, amountVnd: callback.amountVnd }, undefined, {
    system: 'payment_gateway',
  });
}
