// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/index.ts';
import { Alert, Button, Select, Table, TextField, ToastProvider, useToast } from './index.ts';

function withI18n(children: ReactNode) {
  return <I18nextProvider i18n={createI18n('vi')}>{children}</I18nextProvider>;
}

afterEach(cleanup);

describe('TextField', () => {
  it('labels the input and ties hint and error to it', () => {
    render(withI18n(<TextField label="Số CCCD" hint="12 chữ số" error="Số CCCD không hợp lệ" required defaultValue="" />));
    const input = screen.getByLabelText(/Số CCCD/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(['12 chữ số', 'Số CCCD không hợp lệ']);
    expect(screen.getByText('(bắt buộc)')).toBeTruthy();
  });

  it('is valid when there is no error', () => {
    render(withI18n(<TextField label="Họ và tên" />));
    expect(screen.getByLabelText('Họ và tên').hasAttribute('aria-invalid')).toBe(false);
  });
});

describe('Select', () => {
  it('is a labelled native select with a placeholder', () => {
    render(withI18n(<Select label="Cơ quan" placeholder="— Chọn —" options={[{ value: 'syt', label: 'Sở Y tế' }]} />));
    const select = screen.getByLabelText('Cơ quan') as HTMLSelectElement;
    expect(select.tagName).toBe('SELECT');
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['— Chọn —', 'Sở Y tế']);
  });
});

describe('Table', () => {
  it('has a caption that names its scroll region, column headers and an empty state', () => {
    render(withI18n(<Table caption="Hồ sơ đến hạn" columns={[{ key: 'code', header: 'Mã hồ sơ', cell: (r: { code: string }) => r.code, rowHeader: true }]} rows={[]} rowKey={(r) => r.code} />));
    expect(screen.getByRole('region', { name: 'Hồ sơ đến hạn' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Mã hồ sơ' })).toBeTruthy();
    expect(screen.getByText('Không có dữ liệu')).toBeTruthy();
  });

  it('marks the naming cell as a row header', () => {
    render(withI18n(<Table caption="T" columns={[{ key: 'code', header: 'Mã', cell: (r: { code: string }) => r.code, rowHeader: true }]} rows={[{ code: 'A-1' }]} rowKey={(r) => r.code} />));
    expect(screen.getByRole('rowheader', { name: 'A-1' })).toBeTruthy();
  });
});

describe('Button', () => {
  it('ignores clicks while busy but stays focusable', () => {
    const onClick = vi.fn();
    render(withI18n(<Button busy onClick={onClick}>Lưu</Button>));
    const button = screen.getByRole('button', { name: 'Lưu' });
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.hasAttribute('disabled')).toBe(false);
  });

  it('defaults to type=button so it never submits a form by accident', () => {
    render(withI18n(<Button>Hủy</Button>));
    expect(screen.getByRole('button').getAttribute('type')).toBe('button');
  });
});

describe('Alert', () => {
  it('interrupts for errors and speaks politely otherwise', () => {
    render(withI18n(<><Alert tone="error" title="Lỗi" /><Alert tone="success" title="Đã lưu" /></>));
    expect(screen.getByRole('alert').textContent).toBe('Lỗi');
    expect(screen.getByRole('status').textContent).toBe('Đã lưu');
  });
});

describe('Toast', () => {
  function Trigger() {
    const toast = useToast();
    return (
      <>
        <button type="button" onClick={() => toast.show('Đã nộp hồ sơ', 'success')}>ok</button>
        <button type="button" onClick={() => toast.show('Không lưu được', 'error')}>err</button>
      </>
    );
  }

  it('announces through live regions that exist before the message and can be dismissed', () => {
    render(withI18n(<ToastProvider><Trigger /></ToastProvider>));
    const polite = screen.getByTestId('toasts-polite');
    const assertive = screen.getByTestId('toasts-assertive');
    expect(polite.getAttribute('aria-live')).toBe('polite');
    expect(assertive.getAttribute('aria-live')).toBe('assertive');
    fireEvent.click(screen.getByText('ok'));
    fireEvent.click(screen.getByText('err'));
    expect(within(polite).getByText('Đã nộp hồ sơ')).toBeTruthy();
    expect(within(assertive).getByText('Không lưu được')).toBeTruthy();
    fireEvent.click(within(polite).getByRole('button', { name: 'Đóng thông báo' }));
    expect(within(polite).queryByText('Đã nộp hồ sơ')).toBeNull();
  });

  it('keeps at most three', () => {
    render(withI18n(<ToastProvider><Trigger /></ToastProvider>));
    for (let i = 0; i < 5; i++) fireEvent.click(screen.getByText('ok'));
    expect(within(screen.getByTestId('toasts-polite')).getAllByText('Đã nộp hồ sơ')).toHaveLength(3);
  });
});
