import { keepPreviousData, type UseQueryResult } from '@tanstack/react-query';
import type { TablePaginationConfig, TableProps } from 'antd';
import type { FilterValue, SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import type { ApiInit, ApiItem, ApiPath, ApiQuery } from './api';
import { useApiQuery } from './useApiQuery';

/** List routes: GET routes answering `{ items, total, page, pageSize }`. */
type ListPath = { [P in ApiPath<'get'>]: ApiItem<P> extends never ? never : P }[ApiPath<'get'>];
type Filters<P extends ListPath> = Omit<ApiQuery<P>, 'page' | 'pageSize'>;
type PathParams<P extends ListPath> = NonNullable<ApiInit<'get', P>> extends { params: { path: infer X } } ? X : never;

export interface PagedTableOptions<P extends ListPath> {
  /** Path parameters of the route, e.g. `{ id }` for `/api/v1/recalls/{id}/items`. */
  path?: PathParams<P>;
  pageSize?: number;
  /** Extra pagination settings (e.g. `showTotal`). */
  pagination?: TablePaginationConfig;
  /**
   * Column filters and sorting of the antd Table → query parameters (the server sorts nothing unless its route
   * says so, so this is opt-in): `(filters, sorter) => ({ status: filters.status?.[0] })`.
   */
  fromTable?: (
    filters: Record<string, FilterValue | null>,
    sorter: SorterResult<ApiItem<P>> | SorterResult<ApiItem<P>>[],
  ) => Partial<Filters<P>>;
  enabled?: boolean;
}

/**
 * A server-paged antd Table over a list route: the page and page size go to `page`/`pageSize`, a change of the
 * filters starts again at page 1, the previous page stays on screen while the next one loads.
 *
 *   const { tableProps, error } = usePagedTable('/api/v1/audit', { verb, actor });
 *   <Table rowKey="id" columns={columns} {...tableProps} />
 */
export function usePagedTable<P extends ListPath>(path: P, filters: Filters<P>, options: PagedTableOptions<P> = {}) {
  const filterKey = JSON.stringify(filters);
  const [state, setState] = useState({
    filterKey,
    page: 1,
    pageSize: options.pageSize ?? 20,
    fromTable: {} as Partial<Filters<P>>,
  });
  // New filters from the page start again at page 1.
  const current = state.filterKey === filterKey ? state : { ...state, filterKey, page: 1 };
  const query = { ...filters, ...current.fromTable, page: current.page, pageSize: current.pageSize };
  const init = { params: { ...(options.path ? { path: options.path } : {}), query } } as ApiInit<'get', P>;
  // (the generic path/init pair is checked by this hook's own signature)
  const result = (useApiQuery as (p: P, i: unknown, o: object) => UseQueryResult<unknown, Error>)(path, init, {
    placeholderData: keepPreviousData,
    enabled: options.enabled,
  });
  const data = result.data as { items: ApiItem<P>[]; total: number } | undefined;

  const onChange: TableProps<ApiItem<P>>['onChange'] = (pagination, tableFilters, sorter) => {
    setState({
      filterKey,
      page: pagination.pageSize !== current.pageSize ? 1 : (pagination.current ?? 1),
      pageSize: pagination.pageSize ?? current.pageSize,
      fromTable: options.fromTable ? options.fromTable(tableFilters, sorter) : current.fromTable,
    });
  };
  const tableProps = {
    dataSource: data?.items,
    loading: result.isFetching,
    pagination: {
      current: current.page,
      pageSize: current.pageSize,
      total: data?.total,
      showSizeChanger: false,
      ...options.pagination,
    },
    onChange,
  } satisfies TableProps<ApiItem<P>>;
  return {
    ...result,
    data,
    page: current.page,
    pageSize: current.pageSize,
    setPage: (page: number) => setState({ ...current, page }),
    tableProps,
  };
}
