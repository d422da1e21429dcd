import type { RouteObject } from 'react-router';
import { HomePage } from './HomePage.tsx';
import { Layout } from './Layout.tsx';
import { LoginPage } from './LoginPage.tsx';
import { NotFoundPage, RouteErrorPage } from './pages.tsx';
import { NOT_FOUND_ROUTE_ID } from './route-registry.tsx';

/** The route tree: the shell's own pages, then what other rooms contribute, then "not found". */
export function buildRoutes(extensions: RouteObject[] = []): RouteObject[] {
  return [
    {
      path: '/',
      element: <Layout />,
      errorElement: <RouteErrorPage />,
      children: [
        {
          // Errors inside a page render within the layout, so header, language switch and sign-out stay usable.
          errorElement: <RouteErrorPage />,
          children: [
            { index: true, element: <HomePage /> },
            { path: 'dang-nhap', element: <LoginPage /> },
            ...extensions,
            { id: NOT_FOUND_ROUTE_ID, path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ];
}
